#include "worker/index.h"

#include <map>

#include "base/testing.h"
#include "sweep/spec/array_plan.h"

namespace sweep::worker {
namespace {

EnvFn Env(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

TEST(ResolveIndex, FlagWinsOverEnvironment) {
  auto i = ResolveIndex(4, Env({{"AWS_BATCH_JOB_ARRAY_INDEX", "2"}}));
  ASSERT_OK(i);
  EXPECT_EQ(*i, 4);
}

TEST(ResolveIndex, EnginesInDocumentedOrder) {
  EXPECT_EQ(*ResolveIndex(std::nullopt,
                          Env({{"AWS_BATCH_JOB_ARRAY_INDEX", "2"}, {"SLURM_ARRAY_TASK_ID", "3"}})),
            2);
  EXPECT_EQ(*ResolveIndex(std::nullopt,
                          Env({{"SLURM_ARRAY_TASK_ID", "3"}, {"JOB_COMPLETION_INDEX", "5"}})),
            3);
  EXPECT_EQ(
      *ResolveIndex(std::nullopt, Env({{"JOB_COMPLETION_INDEX", "5"}, {"BATCH_TASK_INDEX", "6"}})),
      5);
  EXPECT_EQ(*ResolveIndex(std::nullopt, Env({{"BATCH_TASK_INDEX", "6"}, {"SWEEP_INDEX", "7"}})), 6);
  EXPECT_EQ(*ResolveIndex(std::nullopt, Env({{"SWEEP_INDEX", "7"}})), 7);
}

TEST(ResolveIndex, NoneSetIsAClearError) {
  auto i = ResolveIndex(std::nullopt, Env({}));
  ASSERT_FALSE(i.ok());
  EXPECT_EQ(i.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(i.status().message().find("--index"), std::string::npos);
}

TEST(ResolveIndex, GarbageIsRejected) {
  EXPECT_FALSE(ResolveIndex(std::nullopt, Env({{"AWS_BATCH_JOB_ARRAY_INDEX", "x1"}})).ok());
  EXPECT_FALSE(ResolveIndex(std::nullopt, Env({{"SLURM_ARRAY_TASK_ID", "-1"}})).ok());
}

TEST(ResolveIndex, MapThenOffset) {
  EXPECT_EQ(*ResolveIndex(std::nullopt,
                          Env({{"AWS_BATCH_JOB_ARRAY_INDEX", "1"}, {"SWEEP_INDEX_MAP", "3,5,9"}})),
            5);
  EXPECT_EQ(*ResolveIndex(std::nullopt, Env({{"AWS_BATCH_JOB_ARRAY_INDEX", "7"},
                                             {"SWEEP_INDEX_OFFSET", "10000"}})),
            10007);
  EXPECT_FALSE(ResolveIndex(std::nullopt,
                            Env({{"AWS_BATCH_JOB_ARRAY_INDEX", "3"}, {"SWEEP_INDEX_MAP", "3,5,9"}}))
                   .ok());
}

TEST(ResolveAttempt, NormalisedToOneBased) {
  EXPECT_EQ(ResolveAttempt(Env({})), 1);
  EXPECT_EQ(ResolveAttempt(Env({{"AWS_BATCH_JOB_ATTEMPT", "2"}})), 2);
  EXPECT_EQ(ResolveAttempt(Env({{"BATCH_TASK_RETRY_ATTEMPT", "0"}})), 1);
  EXPECT_EQ(ResolveAttempt(Env({{"SLURM_RESTART_COUNT", "2"}})), 3);
}

TEST(ResolvePackIndices, ChildTakesKConsecutiveSlots) {
  auto rows = ResolvePackIndices(std::nullopt, Env({{"SLURM_ARRAY_TASK_ID", "2"}}), 3);
  ASSERT_OK(rows);
  EXPECT_EQ(*rows, (std::vector<int>{6, 7, 8}));
  EXPECT_EQ(*ResolvePackIndices(5, Env({}), 1), (std::vector<int>{5}));
}

TEST(ResolvePackIndices, OffsetAndMapApplyToEachSlot) {
  EXPECT_EQ(*ResolvePackIndices(1, Env({{"SWEEP_INDEX_OFFSET", "100"}}), 2),
            (std::vector<int>{102, 103}));
  // The map's last pack is short: slot 3 is past "5,1,3".
  EXPECT_EQ(*ResolvePackIndices(0, Env({{"SWEEP_INDEX_MAP", "5,1,3"}}), 2),
            (std::vector<int>{5, 1}));
  EXPECT_EQ(*ResolvePackIndices(1, Env({{"SWEEP_INDEX_MAP", "5,1,3"}}), 2), (std::vector<int>{3}));
  auto past = ResolvePackIndices(2, Env({{"SWEEP_INDEX_MAP", "5,1,3"}}), 2);
  ASSERT_FALSE(past.ok());
  EXPECT_NE(past.status().message().find("past the end of SWEEP_INDEX_MAP"), std::string::npos);
  // Only the map's end shortens a pack: a later slot's bad row is an error, not a short pack.
  auto wraps = ResolvePackIndices(
      0, Env({{"SWEEP_INDEX_MAP", "0,2147483647"}, {"SWEEP_INDEX_OFFSET", "1"}}), 2);
  ASSERT_FALSE(wraps.ok());
  EXPECT_NE(wraps.status().message().find("past 2^31-1"), std::string::npos);
}

TEST(ResolvePackIndices, IndexCountEndsThePart) {
  auto env = Env({{"SWEEP_INDEX_OFFSET", "100"}, {"SWEEP_INDEX_COUNT", "5"}});
  EXPECT_EQ(*ResolvePackIndices(0, env, 3), (std::vector<int>{100, 101, 102}));
  EXPECT_EQ(*ResolvePackIndices(1, env, 3), (std::vector<int>{103, 104}));
  auto past = ResolvePackIndices(2, env, 3);
  ASSERT_FALSE(past.ok());
  EXPECT_NE(past.status().message().find("SWEEP_INDEX_COUNT=5"), std::string::npos);
  EXPECT_FALSE(ResolvePackIndices(0, Env({{"SWEEP_INDEX_COUNT", "0"}}), 2).ok());
}

// Every row `sweep submit`'s packed plan covers, through the worker's own resolution of each
// child's environment: plan and worker agree, each row once.
std::vector<int> PackedRowsThroughWorker(const std::vector<ArrayPart>& parts) {
  std::vector<int> rows;
  for (const ArrayPart& p : parts) {
    const auto env = p.Env();
    std::map<std::string, std::string> vars(env.begin(), env.end());
    const int pack = vars.count("SWEEP_PACK") ? std::stoi(vars["SWEEP_PACK"]) : 1;
    for (int i = 0; i < p.size; ++i) {
      if (!p.plain) vars["SWEEP_INDEX"] = std::to_string(i);
      auto got = ResolvePackIndices(std::nullopt, Env(vars), pack);
      EXPECT_OK(got);
      if (got.ok()) rows.insert(rows.end(), got->begin(), got->end());
    }
  }
  return rows;
}

TEST(ResolvePackIndices, AgreesWithTheSubmitPlan) {
  std::vector<int> scattered = {1, 3};
  for (int r = 100; r < 200; ++r) scattered.push_back(r);
  scattered.push_back(500);
  for (int pack : {1, 2, 3, 7, 64}) {
    for (const ArrayLimits& limits : {BatchLimits(), SlurmLimits(7), K8sLimits()}) {
      auto all = PlanAllRows(101, limits, pack);
      std::vector<int> want(101);
      for (int r = 0; r < 101; ++r) want[r] = r;
      EXPECT_EQ(PackedRowsThroughWorker(all), want) << "pack " << pack;
      for (const ArrayPart& p : all) EXPECT_LE(p.size, limits.max_size);
      auto some = PlanRows(scattered, limits, pack);
      ASSERT_OK(some);
      EXPECT_EQ(PackedRowsThroughWorker(*some), scattered) << "pack " << pack;
      auto one = PlanRows({17}, limits, pack);
      ASSERT_OK(one);
      EXPECT_EQ(PackedRowsThroughWorker(*one), std::vector<int>{17}) << "pack " << pack;
    }
  }
}

TEST(ResolvePackIndices, BadPackOrIndexIsInvalidArgument) {
  EXPECT_EQ(ResolvePackIndices(0, Env({}), 0).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ResolvePackIndices(0, Env({}), kMaxPack + 1).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(ResolvePackIndices(std::nullopt, Env({}), 2).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(ResolvePackIndices(1 << 29, Env({}), 4096).status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace sweep::worker
