#include "sweep/spec/array_plan.h"

#include <gtest/gtest.h>

#include <numeric>

#include "base/testing.h"

namespace sweep {
namespace {

using Env = std::vector<std::pair<std::string, std::string>>;

std::vector<int> Sizes(const std::vector<ArrayPart>& parts) {
  std::vector<int> out;
  for (const auto& p : parts) out.push_back(p.size);
  return out;
}

// Every row a plan covers, in the order the children run them, through the worker's own
// mapping (RowForIndex with the part's environment), so plan and worker agree.
std::vector<int> RowsThroughWorker(const std::vector<ArrayPart>& parts) {
  std::vector<int> rows;
  for (const auto& p : parts) {
    std::optional<std::string> map, offset, index;
    for (const auto& [k, v] : p.Env()) {
      if (k == "SWEEP_INDEX_MAP") map = v;
      if (k == "SWEEP_INDEX_OFFSET") offset = v;
      if (k == "SWEEP_INDEX") index = v;
    }
    if (p.plain) {
      rows.push_back(std::stoi(*index));
      continue;
    }
    for (int i = 0; i < p.size; ++i) {
      auto row = RowForIndex(i, map, offset);
      EXPECT_OK(row);
      if (row.ok()) rows.push_back(*row);
    }
  }
  return rows;
}

std::vector<int> Range(int begin, int end) {
  std::vector<int> v(end - begin);
  std::iota(v.begin(), v.end(), begin);
  return v;
}

TEST(ArrayPlan, OneRowUnderBatchIsAPlainJobWithAnExplicitIndex) {
  auto parts = PlanAllRows(1, BatchLimits());
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_TRUE(parts[0].plain);
  EXPECT_EQ(parts[0].Env(), (Env{{"SWEEP_INDEX", "0"}}));
}

TEST(ArrayPlan, OneRowUnderSlurmIsAnArrayOfOne) {
  auto parts = PlanAllRows(1, SlurmLimits());
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_FALSE(parts[0].plain);
  EXPECT_EQ(parts[0].size, 1);
  EXPECT_TRUE(parts[0].Env().empty());
}

TEST(ArrayPlan, SmallSweepsAreOneArrayWithNoExtraEnvironment) {
  for (int n : {2, 7, 10000}) {
    auto parts = PlanAllRows(n, BatchLimits());
    ASSERT_EQ(parts.size(), 1u) << n;
    EXPECT_EQ(parts[0].size, n);
    EXPECT_FALSE(parts[0].plain);
    EXPECT_TRUE(parts[0].Env().empty());
    EXPECT_EQ(RowsThroughWorker(parts), Range(0, n));
  }
}

TEST(ArrayPlan, PastTenThousandRowsSplitWithAnOffset) {
  auto parts = PlanAllRows(12345, BatchLimits());
  EXPECT_EQ(Sizes(parts), (std::vector<int>{10000, 2345}));
  EXPECT_TRUE(parts[0].Env().empty());
  EXPECT_EQ(parts[1].Env(), (Env{{"SWEEP_INDEX_OFFSET", "10000"}}));
  EXPECT_EQ(RowsThroughWorker(parts), Range(0, 12345));
}

TEST(ArrayPlan, OneRowPastTheLimitBecomesAPlainJob) {
  auto parts = PlanAllRows(10001, BatchLimits());
  EXPECT_EQ(Sizes(parts), (std::vector<int>{10000, 1}));
  EXPECT_TRUE(parts[1].plain);
  EXPECT_EQ(parts[1].Env(), (Env{{"SWEEP_INDEX", "10000"}}));
  EXPECT_EQ(RowsThroughWorker(parts), Range(0, 10001));
}

TEST(ArrayPlan, SlurmSplitsAtMaxArraySize) {
  auto parts = PlanAllRows(2500, SlurmLimits(1001));
  EXPECT_EQ(Sizes(parts), (std::vector<int>{1001, 1001, 498}));
  EXPECT_EQ(parts[2].Env(), (Env{{"SWEEP_INDEX_OFFSET", "2002"}}));
  EXPECT_EQ(RowsThroughWorker(parts), Range(0, 2500));
}

TEST(ArrayPlan, ScatteredRowsGetAnIndexMap) {
  auto parts = PlanRows({9, 3, 5, 3}, BatchLimits());
  ASSERT_OK(parts);
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_EQ((*parts)[0].size, 3);
  EXPECT_EQ((*parts)[0].Env(), (Env{{"SWEEP_INDEX_MAP", "3,5,9"}}));
  EXPECT_EQ(RowsThroughWorker(*parts), (std::vector<int>{3, 5, 9}));
}

TEST(ArrayPlan, OneMissingRowIsAPlainJobForThatRow) {
  auto parts = PlanRows({17}, BatchLimits());
  ASSERT_OK(parts);
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_EQ((*parts)[0].Env(), (Env{{"SWEEP_INDEX", "17"}}));
}

TEST(ArrayPlan, ShortContiguousRerunUsesAnOffsetNotAMap) {
  auto parts = PlanRows({4, 5, 6}, SlurmLimits());
  ASSERT_OK(parts);
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_EQ((*parts)[0].Env(), (Env{{"SWEEP_INDEX_OFFSET", "4"}}));
}

TEST(ArrayPlan, LongRunsBecomeOffsetArraysAndTheRestAMap) {
  // Failed: 1, 3, then 100..199 (a node died), then 500.
  std::vector<int> rows = {1, 3};
  for (int r : Range(100, 200)) rows.push_back(r);
  rows.push_back(500);
  auto parts = PlanRows(rows, BatchLimits());
  ASSERT_OK(parts);
  ASSERT_EQ(parts->size(), 3u);
  EXPECT_EQ((*parts)[0].Env(), (Env{{"SWEEP_INDEX_MAP", "1,3"}}));
  EXPECT_EQ((*parts)[1].Env(), (Env{{"SWEEP_INDEX_OFFSET", "100"}}));
  EXPECT_EQ((*parts)[1].size, 100);
  EXPECT_TRUE((*parts)[2].plain);
  EXPECT_EQ(RowsThroughWorker(*parts), rows);
}

TEST(ArrayPlan, LongMapsSplitToStayUnderTheCharacterBudget) {
  std::vector<int> rows;
  for (int r = 0; r < 24690; r += 2) rows.push_back(r);  // 12,345 failed rows, none adjacent
  auto parts = PlanRows(rows, BatchLimits());
  ASSERT_OK(parts);
  EXPECT_GT(parts->size(), 2u);
  for (const auto& p : *parts) {
    for (const auto& [k, v] : p.Env()) EXPECT_LE(static_cast<int>(v.size()), kMaxInlineMapChars);
    EXPECT_TRUE(p.plain || (p.size >= 2 && p.size <= kBatchMaxArraySize));
  }
  EXPECT_EQ(RowsThroughWorker(*parts), rows);
}

TEST(ArrayPlan, MapsRespectTheSizeLimitToo) {
  std::vector<int> rows;
  for (int r = 0; r < 30; r += 3) rows.push_back(r);
  ArrayLimits limits = SlurmLimits(4);
  auto parts = PlanRows(rows, limits);
  ASSERT_OK(parts);
  EXPECT_EQ(Sizes(*parts), (std::vector<int>{4, 4, 2}));
  EXPECT_EQ(RowsThroughWorker(*parts), rows);
}

TEST(ArrayPlan, NoRowsIsAnError) {
  EXPECT_FALSE(PlanRows({}, BatchLimits()).ok());
  EXPECT_FALSE(PlanRows({-1, 2}, BatchLimits()).ok());
}

TEST(IndexMap, RoundTripsAndRejectsJunk) {
  EXPECT_EQ(FormatIndexMap({3, 5, 9}), "3,5,9");
  auto map = ParseIndexMap("3,5,9");
  ASSERT_OK(map);
  EXPECT_EQ(*map, (std::vector<int>{3, 5, 9}));
  for (const char* bad : {"", "3,,5", "3,x", "-1", "3,5,", " 3"}) {
    EXPECT_FALSE(ParseIndexMap(bad).ok()) << bad;
  }
}

TEST(RowForIndex, AppliesMapThenOffset) {
  EXPECT_EQ(*RowForIndex(4, std::nullopt, std::nullopt), 4);
  EXPECT_EQ(*RowForIndex(4, std::nullopt, std::string("10000")), 10004);
  EXPECT_EQ(*RowForIndex(1, std::string("3,5,9"), std::nullopt), 5);
  EXPECT_EQ(*RowForIndex(1, std::string("3,5,9"), std::string("10")), 15);
  EXPECT_FALSE(RowForIndex(3, std::string("3,5,9"), std::nullopt).ok());
  EXPECT_FALSE(RowForIndex(0, std::nullopt, std::string("ten")).ok());
  // A row past INT_MAX is refused, not wrapped to a negative index.
  StatusOr<int> past = RowForIndex(5, std::nullopt, std::string("2147483647"));
  ASSERT_FALSE(past.ok());
  EXPECT_NE(past.status().message().find("past 2^31-1"), std::string::npos);
  EXPECT_EQ(*RowForIndex(0, std::nullopt, std::string("2147483647")), 2147483647);
}

// Parsed once, looked up for every slot of a pack: the same rows as RowForIndex.
TEST(RowMapping, ParsedOnceGivesWhatRowForIndexGives) {
  StatusOr<RowMapping> m = ParseRowMapping(std::string("3,5,9"), std::string("10"));
  ASSERT_TRUE(m.ok());
  for (int i = 0; i < 3; ++i) EXPECT_EQ(*m->RowOf(i), *RowForIndex(i, "3,5,9", "10"));
  EXPECT_FALSE(m->RowOf(3).ok());
  EXPECT_FALSE(m->RowOf(-1).ok());
  EXPECT_FALSE(ParseRowMapping(std::string("3,x"), std::nullopt).ok());
}

}  // namespace
}  // namespace sweep
