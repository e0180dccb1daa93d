#include "sweep/search/halving.h"

#include <gtest/gtest.h>

#include "base/testing.h"

namespace sweep::search {
namespace {

StatusOr<Spec> Grid27(const std::string& early_terminate, const std::string& extra = "",
                      const std::string& epochs = "{value: 9}") {
  return ParseSpec("method: grid\nearly_terminate: " + early_terminate +
                       "\nparameters:\n"
                       "  dataset: {value: 'synthetic:blobs'}\n  epochs: " +
                       epochs + "\n" + extra +
                       "  seed: {values: [1, 2, 3]}\n  batch_size: {values: [8, 16, 32]}\n"
                       "  learning_rate: {values: [0.1, 0.01, 0.001]}\n",
                   "spec.yml", ".");
}

TEST(Bands, MinIterAndMaxIterFollowWandb) {
  EarlyTerminate et;
  et.min_iter = 1;
  EXPECT_EQ(Bands(et, 9), (std::vector<int>{1, 3}));
  EXPECT_EQ(Bands(et, 10), (std::vector<int>{1, 3, 9}));
  et.min_iter = 2, et.eta = 2;
  EXPECT_EQ(Bands(et, 16), (std::vector<int>{2, 4, 8}));
  EarlyTerminate by_max;
  by_max.max_iter = 27, by_max.s = 2;
  EXPECT_EQ(Bands(by_max, 27), (std::vector<int>{3, 9}));
  EXPECT_EQ(Bands(by_max, 5), (std::vector<int>{3}));
}

TEST(HalvingPlan, TwentySevenRowsEtaThreeIsTwentySevenNineThree) {
  StatusOr<Spec> spec = Grid27("{type: hyperband, min_iter: 1, eta: 3}");
  ASSERT_OK(spec);
  StatusOr<HalvingPlan> plan = MakeHalvingPlan(*spec);
  ASSERT_OK(plan);
  ASSERT_EQ(plan->brackets.size(), 1u);
  const auto& rungs = plan->brackets[0].rungs;
  ASSERT_EQ(rungs.size(), 3u);
  EXPECT_EQ(rungs[0].size, 27);
  EXPECT_EQ(rungs[0].epochs, 1);
  EXPECT_EQ(rungs[1].size, 9);
  EXPECT_EQ(rungs[1].epochs, 3);
  EXPECT_EQ(rungs[2].size, 3);
  EXPECT_EQ(rungs[2].epochs, 9);
  EXPECT_TRUE(rungs[2].last);
  EXPECT_EQ(plan->TotalEpochs(), 27 + 9 * 2 + 3 * 6);
  EXPECT_EQ(plan->metric, "train_accuracy");  // no metric, no validation split
  EXPECT_TRUE(plan->maximize);
}

TEST(HalvingPlan, HyperbandBracketsStartAtLaterBands) {
  StatusOr<Spec> spec = Grid27("{type: hyperband, min_iter: 1, eta: 3, brackets: 3}",
                               "  validation_split: {value: 0.2}\n");
  ASSERT_OK(spec);
  StatusOr<HalvingPlan> plan = MakeHalvingPlan(*spec);
  ASSERT_OK(plan);
  ASSERT_EQ(plan->brackets.size(), 3u);
  // Weights 9/3, 3/2, 1/1 of 27 rows, floored: 14, 7, 4, and the 2 left over to bracket 0.
  EXPECT_EQ(plan->brackets[0].rows, 16);
  EXPECT_EQ(plan->brackets[1].rows, 7);
  EXPECT_EQ(plan->brackets[2].rows, 4);
  EXPECT_EQ(plan->brackets[0].rungs[1].size, 5);
  EXPECT_EQ(plan->brackets[0].rungs[2].size, 1);
  EXPECT_EQ(plan->brackets[1].rungs[1].size, 2);
  EXPECT_EQ(plan->brackets[0].rungs.size(), 3u);
  EXPECT_EQ(plan->brackets[1].rungs.size(), 2u);
  EXPECT_EQ(plan->brackets[1].rungs[0].epochs, 3);
  EXPECT_EQ(plan->brackets[2].rungs.size(), 1u);
  EXPECT_EQ(plan->brackets[2].rungs[0].epochs, 9);
  EXPECT_EQ(plan->brackets[1].first_row, plan->brackets[0].rows);
  EXPECT_EQ(plan->metric, "val_accuracy");
}

TEST(HalvingPlan, RefusesWhatItCannotRank) {
  StatusOr<Spec> spec = Grid27("{type: hyperband, min_iter: 1}", "", "{values: [3, 9]}");
  ASSERT_OK(spec);
  EXPECT_FALSE(MakeHalvingPlan(*spec).ok());
  spec = Grid27("{type: hyperband, min_iter: 1}", "  early_stopping_patience: {value: 2}\n");
  ASSERT_OK(spec);
  EXPECT_FALSE(MakeHalvingPlan(*spec).ok());
  spec = Grid27("{type: hyperband, min_iter: 1, brackets: 4}");
  ASSERT_OK(spec);
  EXPECT_FALSE(MakeHalvingPlan(*spec).ok());
}

}  // namespace
}  // namespace sweep::search
