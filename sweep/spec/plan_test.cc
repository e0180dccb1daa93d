#include "sweep/spec/plan.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "base/file.h"
#include "base/testing.h"

namespace sweep {
namespace {

namespace fs = std::filesystem;

class PlanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) /
           ("plan_test_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    store_ = storage::OpenLocalStore(dir_.string());
  }
  void TearDown() override { fs::remove_all(dir_); }

  static Spec MakeSpec(int rows) {
    Spec spec;
    spec.form = "list";
    spec.source = "spec.yml";
    for (int i = 0; i < rows; ++i) spec.rows.push_back({{"learning_rate", 0.1 * (i + 1)}});
    return spec;
  }

  fs::path dir_;
  std::unique_ptr<storage::Store> store_;
};

TEST_F(PlanTest, RoundTripsThroughJson) {
  Spec spec = MakeSpec(3);
  spec.metric = MetricGoal{"val_loss", false};
  Plan plan = MakePlan(spec, "- {learning_rate: 0.1}\n", {"epochs=1"});
  StatusOr<Plan> back = ParsePlan(PlanToText(plan));
  ASSERT_OK(back);
  EXPECT_EQ(back->source, "spec.yml");
  EXPECT_EQ(back->spec_text, plan.spec_text);
  EXPECT_EQ(back->overrides, std::vector<std::string>{"epochs=1"});
  EXPECT_EQ(back->rows_hash, plan.rows_hash);
  EXPECT_EQ(back->count(), 3);
  ASSERT_TRUE(back->metric.has_value());
  EXPECT_EQ(back->metric->name, "val_loss");
  EXPECT_FALSE(back->metric->maximize);
  EXPECT_EQ(back->engine, "");
  EXPECT_EQ(PlanToText(plan).find("engine"), std::string::npos);
}

TEST_F(PlanTest, WritesOnceAndAcceptsTheSameRowsAgain) {
  Plan plan = MakePlan(MakeSpec(2), "text", {});
  ASSERT_OK(WritePlanOnce(*store_, plan));
  std::string first;
  ASSERT_OK(ReadFile((dir_ / "sweep.json").string(), &first));
  Plan same = MakePlan(MakeSpec(2), "same rows, other text", {});
  ASSERT_OK(WritePlanOnce(*store_, same));
  std::string second;
  ASSERT_OK(ReadFile((dir_ / "sweep.json").string(), &second));
  EXPECT_EQ(first, second);  // frozen: not rewritten
}

TEST_F(PlanTest, RefusesADifferentSpecWithAClearMessage) {
  ASSERT_OK(WritePlanOnce(*store_, MakePlan(MakeSpec(2), "a", {})));
  Status st = WritePlanOnce(*store_, MakePlan(MakeSpec(3), "b", {}));
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("an earlier version of this sweep"), std::string::npos)
      << st.message();
  EXPECT_NE(st.message().find("--replan"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("another --storage"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("2 rows"), std::string::npos) << st.message();
}

TEST_F(PlanTest, RefusesToOverwriteACorruptPlan) {
  ASSERT_OK(WriteFileAtomic((dir_ / "sweep.json").string(), "{\"format_ver"));
  Status st = WritePlanOnce(*store_, MakePlan(MakeSpec(1), "a", {}));
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("refusing to overwrite"), std::string::npos) << st.message();
}

TEST_F(PlanTest, ReadPlanIsEmptyWhenAbsent) {
  StatusOr<std::optional<Plan>> plan = ReadPlan(*store_);
  ASSERT_OK(plan);
  EXPECT_FALSE(plan->has_value());
}

TEST(ParsePlan, ReportsCorruptionWithoutThrowing) {
  for (const char* bad :
       {"", "[]", "{", "{\"format_version\": 1}",
        "{\"format_version\": 9, \"rows\": [], \"rows_hash\": \"x\"}",
        "{\"format_version\": 1, \"rows\": 3, \"rows_hash\": \"x\"}",
        "{\"format_version\": 1, \"rows\": [], \"rows_hash\": \"x\", \"count\": 2}"}) {
    StatusOr<Plan> p = ParsePlan(bad);
    EXPECT_FALSE(p.ok()) << bad;
    if (!p.ok()) {
      EXPECT_EQ(p.status().code(), StatusCode::kCorruption) << bad;
    }
  }
}

TEST(RerunCommand, QuotesAndRepeatsOverrides) {
  Plan plan;
  plan.source = "my spec.yml";
  plan.overrides = {"epochs=1", "hidden=[64, 32]"};
  EXPECT_EQ(RerunCommand(plan, "/tmp/s", "--failed"),
            "sweep run 'my spec.yml' --storage /tmp/s --set epochs=1 --set 'hidden=[64, 32]' "
            "--failed");
  EXPECT_EQ(ShellQuote("it's"), "'it'\\''s'");
}

TEST(RerunCommand, ASlurmPlanIsResubmitted) {
  Plan plan;
  plan.source = "spec.yml";
  plan.engine = "slurm";
  EXPECT_EQ(RerunCommand(plan, "/shared/r", ""),
            "sweep submit spec.yml --engine slurm --storage /shared/r --missing --failed");
  EXPECT_EQ(RerunCommand(plan, "/shared/r", "--failed"),
            "sweep submit spec.yml --engine slurm --storage /shared/r --failed");
  StatusOr<Plan> back = ParsePlan(PlanToText(plan));
  ASSERT_OK(back);
  EXPECT_EQ(back->engine, "slurm");
}

}  // namespace
TEST(ParsePlan, NumbersOutOfTheIntegerRangeAreCorruptionNotUndefined) {
  for (const char* text :
       {R"({"format_version": 1e36, "rows": [], "rows_hash": "x"})",
        R"({"format_version": 1, "rows": [], "rows_hash": "x", "count": 1e300})",
        R"({"format_version": 18446744073709551615, "rows": [], "rows_hash": "x"})"}) {
    StatusOr<Plan> plan = ParsePlan(text);
    EXPECT_EQ(plan.status().code(), StatusCode::kCorruption) << text;
  }
}

}  // namespace sweep
