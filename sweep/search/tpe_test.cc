#include "sweep/search/tpe.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace sweep::search {
namespace {

BayesSearch OneFloat() {
  BayesSearch space;
  SearchParam x;
  x.name = "x";
  x.min = 0, x.max = 1;
  SearchParam c;
  c.name = "c";
  c.kind = SearchParam::Kind::kCategorical;
  c.values = {"a", "b", "c"};
  space.params = {x, c};
  return space;
}

// 30 observations spread over [0, 1]; the best are near x = 0.3 with c = "b".
std::vector<Observation> Bowl() {
  std::vector<Observation> obs;
  const char* names[] = {"a", "b", "c"};
  for (int i = 0; i < 30; ++i) {
    const double x = (i + 0.5) / 30;
    obs.push_back({{{"x", x}, {"c", names[i % 3]}}, (x - 0.3) * (x - 0.3) + (i % 3 == 1 ? 0 : 1)});
  }
  return obs;
}

TEST(Tpe, SameInputsSameStreamSameRow) {
  Xoshiro256Rng a(7, 3), b(7, 3);
  EXPECT_EQ(ProposeTpe(OneFloat(), Bowl(), a).dump(), ProposeTpe(OneFloat(), Bowl(), b).dump());
}

TEST(Tpe, ProposesNearTheGoodObservations) {
  std::vector<double> distance;
  int b_count = 0;
  for (uint64_t stream = 0; stream < 40; ++stream) {
    Xoshiro256Rng rng(11, stream);
    const nlohmann::json row = ProposeTpe(OneFloat(), Bowl(), rng);
    const double x = row["x"].get<double>();
    EXPECT_GE(x, 0.0);
    EXPECT_LE(x, 1.0);
    distance.push_back(std::fabs(x - 0.3));
    b_count += row["c"] == "b";
  }
  std::sort(distance.begin(), distance.end());
  EXPECT_LT(distance[distance.size() / 2], 0.15);  // uniform draws: median distance ~0.3
  EXPECT_GT(b_count, 30);                          // uniform: ~13 of 40
}

TEST(Tpe, IntegersAndLogRangesStayInRange) {
  BayesSearch space;
  SearchParam n;
  n.name = "n", n.kind = SearchParam::Kind::kInt, n.min = 8, n.max = 64;
  SearchParam lr;
  lr.name = "lr", lr.log = true, lr.min = 1e-4, lr.max = 0.5;
  space.params = {n, lr};
  std::vector<Observation> obs;
  for (int i = 0; i < 12; ++i) {
    obs.push_back({{{"n", 8 + 4 * i}, {"lr", 1e-4 * std::pow(2.0, i)}}, static_cast<double>(i)});
  }
  for (uint64_t s = 0; s < 20; ++s) {
    Xoshiro256Rng rng(1, s);
    const nlohmann::json row = ProposeTpe(space, obs, rng);
    ASSERT_TRUE(row["n"].is_number_integer());
    EXPECT_GE(row["n"].get<int>(), 8);
    EXPECT_LE(row["n"].get<int>(), 64);
    EXPECT_GE(row["lr"].get<double>(), 1e-4);
    EXPECT_LE(row["lr"].get<double>(), 0.5);
  }
}

}  // namespace
}  // namespace sweep::search
