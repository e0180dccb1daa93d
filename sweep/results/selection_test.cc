#include "sweep/results/selection.h"

#include <gtest/gtest.h>

#include "base/testing.h"

namespace sweep {
namespace {

using V = std::vector<int>;
constexpr RowState kS = RowState::kSucceeded, kF = RowState::kFailed, kM = RowState::kMissing,
                   kU = RowState::kUnfinished, kC = RowState::kCorrupt, kD = RowState::kDiverged;

TEST(ParseIndexList, AcceptsIndicesAndRanges) {
  StatusOr<V> v = ParseIndexList("3,5-7", 10);
  ASSERT_OK(v);
  EXPECT_EQ(*v, (V{3, 5, 6, 7}));
}

TEST(ParseIndexList, SortsAndDropsDuplicates) {
  StatusOr<V> v = ParseIndexList("7,0-2,1, 7", 8);
  ASSERT_OK(v);
  EXPECT_EQ(*v, (V{0, 1, 2, 7}));
}

TEST(ParseIndexList, RejectsIndicesPastTheRowCount) {
  StatusOr<V> v = ParseIndexList("3,10", 10);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(v.status().message().find("--only 10"), std::string::npos) << v.status().message();
  EXPECT_NE(v.status().message().find("10 rows"), std::string::npos);
}

TEST(ParseIndexList, RejectsGarbage) {
  for (const char* bad : {"", "a", "3,", ",3", "-1", "5-3", "1-2-3", "2.5", "1;2", "3-"}) {
    EXPECT_FALSE(ParseIndexList(bad, 10).ok()) << bad;
  }
}

TEST(SelectRows, DefaultRunsEverythingButSucceeded) {
  Selection s = SelectRows({kS, kF, kM, kU, kC, kS}, {});
  EXPECT_EQ(s.run, (V{1, 2, 3, 4}));
  EXPECT_EQ(s.skipped, (V{0, 5}));
  EXPECT_EQ(s.succeeded_skipped, 2);
}

// A diverged row is finished: its rerun diverges again. Neither the default, --failed nor
// --missing takes it; --force does.
TEST(SelectRows, DivergedRowsAreFinishedAndOnlyForceRerunsThem) {
  Selection s = SelectRows({kS, kD, kF, kM}, {});
  EXPECT_EQ(s.run, (V{2, 3}));
  EXPECT_EQ(s.skipped, (V{0, 1}));
  EXPECT_EQ(s.succeeded_skipped, 1);
  EXPECT_EQ(s.diverged_skipped, 1);
  SelectFlags f;
  f.failed = true;
  f.missing = true;
  EXPECT_EQ(SelectRows({kS, kD, kF, kM}, f).run, (V{2, 3}));
  SelectFlags force;
  force.force = true;
  force.only = {1};
  EXPECT_EQ(SelectRows({kS, kD, kF, kM}, force).run, (V{1}));
}

TEST(BadInputHint, NamesTheRowsAndTheReplanCommand) {
  EXPECT_TRUE(IsBadInputExit(2));
  for (int code : {0, 1, 75, 143}) EXPECT_FALSE(IsBadInputExit(code)) << code;
  EXPECT_EQ(BadInputHint({1}, "sweep run s.yml --storage S --replan"),
            "bad input (exit 2) in row 1: rerunning it as it is fails again; fix the spec (or its "
            "data), then run: sweep run s.yml --storage S --replan\n");
  EXPECT_EQ(BadInputHint({1, 2, 3, 7}, "CMD"),
            "bad input (exit 2) in rows 1-3,7: rerunning them as they are fails again; fix the "
            "spec (or its data), then run: CMD\n");
}

TEST(SelectRows, ForceRerunsSucceededToo) {
  SelectFlags f;
  f.force = true;
  EXPECT_EQ(SelectRows({kS, kF, kM}, f).run, (V{0, 1, 2}));
}

TEST(SelectRows, MissingTakesRowsWithoutAUsableResult) {
  SelectFlags f;
  f.missing = true;
  Selection s = SelectRows({kS, kF, kM, kU, kC}, f);
  EXPECT_EQ(s.run, (V{2, 3, 4}));
  EXPECT_EQ(s.skipped, (V{0, 1}));
}

TEST(SelectRows, FailedTakesOnlyFailedRows) {
  SelectFlags f;
  f.failed = true;
  EXPECT_EQ(SelectRows({kS, kF, kM, kU, kF}, f).run, (V{1, 4}));
}

TEST(SelectRows, MissingAndFailedTogetherTakeTheUnion) {
  SelectFlags f;
  f.failed = f.missing = true;
  EXPECT_EQ(SelectRows({kS, kF, kM, kS}, f).run, (V{1, 2}));
}

TEST(SelectRows, OnlyRestrictsTheScope) {
  SelectFlags f;
  f.only = {0, 2, 3};
  Selection s = SelectRows({kS, kF, kM, kM}, f);
  EXPECT_EQ(s.run, (V{2, 3}));
  EXPECT_EQ(s.skipped, (V{0}));
  f.force = true;
  EXPECT_EQ(SelectRows({kS, kF, kM, kM}, f).run, (V{0, 2, 3}));
}

TEST(SelectRows, ForceDoesNotWidenFailed) {
  SelectFlags f;
  f.failed = f.force = true;
  EXPECT_EQ(SelectRows({kS, kF}, f).run, (V{1}));
}

}  // namespace
}  // namespace sweep
