#include "sweep/search/tpe_waves.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "base/testing.h"

namespace sweep::search {
namespace {

using nlohmann::json;

Spec BayesSpec() {
  StatusOr<Spec> spec = ParseSpec(
      "method: bayes\nrun_cap: 24\nwave_size: 8\nseed: 3\n"
      "metric: {name: val_accuracy, goal: maximize}\nparameters:\n"
      "  dataset: {value: synthetic:blobs}\n  validation_split: {value: 0.2}\n"
      "  learning_rate: {values: [0.1, 0.01, 0.001]}\n  batch_size: {values: [8, 16, 32]}\n",
      "spec.yml", ".");
  EXPECT_TRUE(spec.ok()) << spec.status().ToString();
  return *spec;
}

// The first `n` rows of `spec` with losses: row i gets -i (the later the better).
std::vector<Observation> Observed(const Spec& spec, int n, int finite) {
  std::vector<Observation> obs;
  for (int i = 0; i < n; ++i) {
    const double loss = i < finite ? -i : std::numeric_limits<double>::infinity();
    obs.push_back({spec.rows[i], loss});
  }
  return obs;
}

TEST(ProposeWave, FewerThanStartupFiniteRowsGivesTheRandomRows) {
  const Spec spec = BayesSpec();
  const WaveProposal p = ProposeWave(spec, 1, Observed(spec, 8, 8));
  EXPECT_EQ(p.finite, 8);
  ASSERT_EQ(p.rows.size(), 8u);
  EXPECT_EQ(p.random.size(), 8u);
  for (int s = 0; s < 8; ++s) EXPECT_EQ(p.rows[s], spec.rows[8 + s]);
}

TEST(ProposeWave, EveryFourthSlotIsRandomOnceStartedAndTheRuleIsDeterministic) {
  Spec spec = BayesSpec();
  std::vector<Observation> obs = Observed(spec, 16, 12);
  const WaveProposal p = ProposeWave(spec, 2, obs);
  EXPECT_EQ(p.finite, 12);
  EXPECT_EQ(p.random, (std::vector<int>{3, 7}));
  EXPECT_EQ(p.rows[3], spec.rows[16 + 3]);
  for (const json& row : p.rows) {
    EXPECT_TRUE(row.contains("learning_rate") && row.contains("batch_size")) << row.dump();
  }
  const WaveProposal again = ProposeWave(spec, 2, obs);
  EXPECT_EQ(again.rows, p.rows);
}

}  // namespace
}  // namespace sweep::search
