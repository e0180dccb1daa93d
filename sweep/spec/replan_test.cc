#include "sweep/spec/replan.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "base/file.h"
#include "base/testing.h"
#include "storage/layout.h"

namespace sweep {
namespace {

namespace fs = std::filesystem;

// A plan whose rows have learning rates `rates`.
Plan PlanOf(const std::vector<double>& rates) {
  Spec spec;
  spec.source = "spec.yml";
  for (double r : rates) spec.rows.push_back({{"learning_rate", r}});
  return MakePlan(spec, "text", {});
}

class ReplanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) /
           ("replan_test_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    store_ = storage::OpenLocalStore(dir_.string());
  }
  void TearDown() override { fs::remove_all(dir_); }

  void Publish(int index) {
    ASSERT_OK(store_->Put(storage::ResultPath("", index), "{\"index\": " + std::to_string(index)));
    ASSERT_OK(store_->Put(storage::ModelPath("", index), "h5"));
  }

  fs::path dir_;
  std::unique_ptr<storage::Store> store_;
};

TEST(PlanDiff, MatchesRowsByIndex) {
  Plan old_plan = PlanOf({0.1, 0.2, 0.3, 0.4});
  Plan new_plan = PlanOf({0.1, 0.25, 0.3});
  PlanDiff diff = DiffPlans(old_plan, new_plan);
  EXPECT_EQ(diff.kept, (std::vector<int>{0, 2}));
  EXPECT_EQ(diff.changed, std::vector<int>{1});
  EXPECT_TRUE(diff.added.empty());
  EXPECT_EQ(diff.removed, std::vector<int>{3});
  EXPECT_EQ(DescribeDiff(diff), "2 unchanged (kept), 1 changed (rerun): 1, 0 new, 1 removed: 3");
  EXPECT_FALSE(diff.same());
  EXPECT_TRUE(DiffPlans(old_plan, old_plan).same());
}

TEST(PlanDiff, OlderPlansWithoutRowHashesGetThemWhenRead) {
  Plan plan = PlanOf({0.1, 0.2});
  nlohmann::json j = PlanToJson(plan);
  j.erase("row_hashes");
  StatusOr<Plan> back = ParsePlan(j.dump());
  ASSERT_OK(back);
  EXPECT_EQ(back->row_hashes, plan.row_hashes);
  EXPECT_EQ(back->row_hashes[0], RowHash(plan.rows[0]));
}

TEST_F(ReplanTest, RaisingTheRowCountIsRefusedWithTheCountsThenReplanKeepsEveryResult) {
  ASSERT_OK(WritePlanOnce(*store_, PlanOf({0.1, 0.2})));
  Publish(0);
  Publish(1);
  Plan bigger = PlanOf({0.1, 0.2, 0.3});
  StatusOr<ReplanReport> refused = ReplanStorage(*store_, bigger, /*allow_replan=*/false);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("2 unchanged (kept), 0 changed (rerun), 1 new: 2"),
            std::string::npos)
      << refused.status().message();
  EXPECT_NE(refused.status().message().find("--replan"), std::string::npos);

  StatusOr<ReplanReport> report = ReplanStorage(*store_, bigger, /*allow_replan=*/true);
  ASSERT_OK(report);
  EXPECT_TRUE(report->replanned);
  EXPECT_EQ(report->files_moved, 0);
  EXPECT_TRUE(fs::exists(dir_ / "0" / "result.json"));
  EXPECT_TRUE(fs::exists(dir_ / "1" / "model" / "model.h5"));
  StatusOr<std::optional<Plan>> now = ReadPlan(*store_);
  ASSERT_OK(now);
  EXPECT_EQ((*now)->count(), 3);
}

TEST_F(ReplanTest, ChangedAndRemovedRowsMoveToHistoryWithTheOldPlan) {
  ASSERT_OK(WritePlanOnce(*store_, PlanOf({0.1, 0.2, 0.3})));
  for (int i = 0; i < 3; ++i) Publish(i);
  StatusOr<ReplanReport> report = ReplanStorage(*store_, PlanOf({0.1, 0.5}), true);
  ASSERT_OK(report);
  EXPECT_EQ(report->files_moved, 4);  // result.json and model.h5 of rows 1 and 2
  const fs::path history = report->history_dir;
  EXPECT_EQ(history.parent_path(), dir_ / "history");
  EXPECT_TRUE(fs::exists(dir_ / "0" / "result.json"));
  EXPECT_FALSE(fs::exists(dir_ / "1"));  // emptied folders go: they would read as unstarted
  EXPECT_FALSE(fs::exists(dir_ / "2"));
  EXPECT_TRUE(fs::exists(history / "1" / "result.json"));
  EXPECT_TRUE(fs::exists(history / "2" / "model" / "model.h5"));
  std::string old_plan;
  ASSERT_OK(ReadFile((history / "sweep.json").string(), &old_plan));
  StatusOr<Plan> parsed = ParsePlan(old_plan);
  ASSERT_OK(parsed);
  EXPECT_EQ(parsed->count(), 3);

  // A second replan within the same second gets its own folder: nothing is overwritten.
  StatusOr<ReplanReport> again = ReplanStorage(*store_, PlanOf({0.7}), true);
  ASSERT_OK(again);
  EXPECT_NE(again->history_dir, report->history_dir);
  EXPECT_TRUE(fs::exists(fs::path(again->history_dir) / "0" / "result.json"));
  EXPECT_TRUE(fs::exists(history / "1" / "result.json"));
}

TEST_F(ReplanTest, TheSameRowsKeepThePlanAsIs) {
  ASSERT_OK(WritePlanOnce(*store_, PlanOf({0.1})));
  Publish(0);
  StatusOr<ReplanReport> report = ReplanStorage(*store_, PlanOf({0.1}), false);
  ASSERT_OK(report);
  EXPECT_FALSE(report->replanned);
  EXPECT_FALSE(fs::exists(dir_ / "history"));
}

}  // namespace
}  // namespace sweep
