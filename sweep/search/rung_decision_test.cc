#include "sweep/search/rung_decision.h"

#include <gtest/gtest.h>

#include <cmath>

#include "base/testing.h"
#include "storage/layout.h"
#include "storage/result.h"

namespace sweep::search {
namespace {

class RungDecisionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    StatusOr<Spec> spec = ParseSpec(
        "method: grid\nearly_terminate: {type: hyperband, min_iter: 1, eta: 3}\n"
        "metric: {name: val_loss, goal: minimize}\nparameters:\n"
        "  dataset: {value: synthetic:blobs}\n  epochs: {value: 9}\n  validation_split: {value: "
        "0.2}\n"
        "  seed: {values: [1, 2, 3]}\n  batch_size: {values: [8, 16, 32]}\n  learning_rate: "
        "{values: [0.1, 0.01, 0.001]}\n",
        "spec.yml", ".");
    ASSERT_OK(spec);
    StatusOr<HalvingPlan> plan = MakeHalvingPlan(*spec);
    ASSERT_OK(plan);
    plan_ = *plan;
    store_ = storage::OpenLocalStore(tmp_.path());
  }

  // A band record of `row` at `epochs` with val_loss `value` (and a better one in its history).
  void Band(int row, int epochs, double value, storage::ResultStatus status, double earlier = 9) {
    storage::RunResult r;
    r.index = row;
    r.status = status;
    if (!std::isnan(value)) r.metrics["val_loss"] = value;
    r.history = nlohmann::json::array({{{"epoch", 1}, {"val_loss", earlier}}});
    ASSERT_OK(store_->Put(storage::BandPath("", row, epochs), storage::ToJsonText(r)));
  }

  sweep::testing::TestDir tmp_;
  HalvingPlan plan_;
  std::unique_ptr<storage::Store> store_;
};

TEST_F(RungDecisionTest, TopThirdByMetricFailedAndNanLastTiesByRow) {
  for (int row = 0; row < 27; ++row)
    Band(row, 1, 1.0 + (row % 5), storage::ResultStatus::kSucceeded);
  Band(0, 1, 0.5, storage::ResultStatus::kFailed);    // failed: last whatever its value
  Band(1, 1, 0.5, storage::ResultStatus::kDiverged);  // diverged: last
  Band(2, 1, std::nan(""), storage::ResultStatus::kSucceeded);
  ASSERT_OK(store_->Delete(storage::BandPath("", 3, 1)));  // missing: last
  // Value 1.0 (the best) at rows 5, 10, 15, 20, 25; then 2.0 at 6, 11, 16, 21, 26.
  StatusOr<std::vector<int>> rows = RungRows(*store_, plan_, 0, 1);
  ASSERT_OK(rows);
  EXPECT_EQ(*rows, (std::vector<int>{5, 6, 10, 11, 15, 16, 20, 21, 25}));
  StatusOr<std::string> text = store_->Get(storage::RungPath("", 0, 1));
  ASSERT_OK(text);
  EXPECT_NE(text->find("\"status\":\"missing\""), std::string::npos);
  // Read back, not recomputed: a changed band record changes nothing once decided.
  Band(4, 1, 0.1, storage::ResultStatus::kSucceeded);
  EXPECT_EQ(*RungRows(*store_, plan_, 0, 1), *rows);
  StatusOr<DecisionCheck> check = CheckDecisions(*store_, plan_);
  ASSERT_OK(check);
  EXPECT_EQ(check->checked, 1);
  ASSERT_EQ(check->problems.size(), 1u);  // ... but --check sees the record changed
}

TEST_F(RungDecisionTest, NonStrictRanksByTheBestSoFar) {
  for (int row = 0; row < 27; ++row) {
    Band(row, 1, 5.0 - row * 0.1, storage::ResultStatus::kSucceeded, row == 0 ? 0.01 : 9);
  }
  StatusOr<std::vector<int>> rows = RungRows(*store_, plan_, 0, 1);
  ASSERT_OK(rows);
  EXPECT_EQ(rows->front(), 0);  // its epoch-1 value was the best of all
  EXPECT_EQ(rows->size(), 9u);
}

TEST_F(RungDecisionTest, SameFilesSameBytesAndACheckThatPasses) {
  for (int row = 0; row < 27; ++row) {
    Band(row, 1, 1.0 / (row + 1), storage::ResultStatus::kSucceeded);
  }
  StatusOr<std::vector<int>> one = RungRows(*store_, plan_, 0, 1);
  ASSERT_OK(one);
  for (int row : *one) Band(row, 3, row * 0.25, storage::ResultStatus::kSucceeded);
  StatusOr<std::vector<int>> two = RungRows(*store_, plan_, 0, 2);
  ASSERT_OK(two);
  EXPECT_EQ(*two, (std::vector<int>{18, 19, 20}));
  const std::string first = *store_->Get(storage::RungPath("", 0, 2));
  ASSERT_OK(store_->Delete(storage::RungPath("", 0, 2)));
  ASSERT_OK(RungRows(*store_, plan_, 0, 2).status());
  EXPECT_EQ(*store_->Get(storage::RungPath("", 0, 2)), first);
  StatusOr<DecisionCheck> check = CheckDecisions(*store_, plan_);
  ASSERT_OK(check);
  EXPECT_EQ(check->checked, 2);
  EXPECT_TRUE(check->problems.empty());
  // Another writer's different decision is caught, not silently used.
  ASSERT_OK(store_->Delete(storage::RungPath("", 0, 2)));
  ASSERT_OK(store_->Put(storage::RungPath("", 0, 2), first.substr(0, first.size() - 5) + "99]}\n"));
  StatusOr<DecisionCheck> bad = CheckDecisions(*store_, plan_);
  ASSERT_OK(bad);
  EXPECT_EQ(bad->problems.size(), 1u);
}

TEST(BandValue, StrictTakesTheBandsValue) {
  EXPECT_EQ(BandValue(0.5, {0.9, 0.5}, /*strict=*/true, /*maximize=*/true), 0.5);
  EXPECT_TRUE(std::isnan(BandValue(std::nan(""), {0.9}, true, true)));
}

TEST(BandValue, NonStrictTakesTheBestFiniteValueSoFar) {
  EXPECT_EQ(BandValue(0.5, {0.9, std::nan(""), 0.5}, false, true), 0.9);
  EXPECT_EQ(BandValue(0.5, {0.9, 0.2}, false, /*maximize=*/false), 0.2);
  EXPECT_EQ(BandValue(std::nan(""), {0.3}, false, true), 0.3);
}

TEST(SortRanking, BestFirstTiesByRowThenUnrankedByRow) {
  std::vector<Ranked> r = {
      {5, 0, "failed"}, {4, 0.7, ""}, {2, 0.9, ""}, {3, 0.7, ""}, {1, 0, "diverged"}};
  SortRanking(&r, /*maximize=*/true);
  std::vector<int> rows;
  for (const Ranked& x : r) rows.push_back(x.row);
  EXPECT_EQ(rows, (std::vector<int>{2, 3, 4, 1, 5}));
  SortRanking(&r, /*maximize=*/false);
  EXPECT_EQ(r[0].row, 3);
  EXPECT_EQ(r[2].row, 2);
}

TEST(PromotedRows, TheFirstKeepInAscendingOrder) {
  const std::vector<Ranked> r = {{7, 0.9, ""}, {2, 0.8, ""}, {5, 0.1, ""}};
  EXPECT_EQ(PromotedRows(r, 2), (std::vector<int>{2, 7}));
  EXPECT_EQ(PromotedRows(r, 5), (std::vector<int>{2, 5, 7}));
}

}  // namespace
}  // namespace sweep::search
