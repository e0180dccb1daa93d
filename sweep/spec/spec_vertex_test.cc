#include <gtest/gtest.h>

#include <cmath>

#include "base/testing.h"
#include "sweep/spec/spec.h"

namespace sweep {
namespace {

using nlohmann::json;

StatusOr<json> Study(const std::string& yaml) {
  auto spec = ParseSpec(yaml, "sweep.yml", ".");
  if (!spec.ok()) return spec.status();
  return VertexStudySpec(*spec);
}

TEST(VertexStudySpec, MapsEachDistribution) {
  auto study = Study(R"(
method: random
run_cap: 4
metric: {name: val_loss, goal: minimize}
parameters:
  dataset: {value: zoo.csv}
  learning_rate: {distribution: log_uniform_values, min: 0.0001, max: 0.1}
  momentum: {min: 0.5, max: 0.99}
  epochs: {min: 5, max: 30}
  batch_size: {values: [128, 32, 64]}
  optimizer: {values: [adam, sgd]}
  hidden: {values: [[64], [128, 64]]}
  weight_decay: {distribution: log_uniform, min: -9.2, max: -2.3}
)");
  ASSERT_OK(study);
  EXPECT_EQ((*study)["metrics"], json::parse(R"([{"metricId": "val_loss", "goal": "MINIMIZE"}])"));
  EXPECT_EQ((*study)["algorithm"], "RANDOM_SEARCH");
  const json& p = (*study)["parameters"];
  ASSERT_EQ(p.size(), 7u);  // the constant stays in the base row
  EXPECT_EQ(p[0], json::parse(R"({"parameterId": "learning_rate", "scaleType": "UNIT_LOG_SCALE",
      "doubleValueSpec": {"minValue": 0.0001, "maxValue": 0.1}})"));
  EXPECT_EQ(p[1]["doubleValueSpec"]["maxValue"], 0.99);
  EXPECT_EQ(p[1]["scaleType"], "UNIT_LINEAR_SCALE");
  EXPECT_EQ(p[2]["integerValueSpec"], json::parse(R"({"minValue": "5", "maxValue": "30"})"));
  EXPECT_EQ(p[3]["discreteValueSpec"]["values"], json::parse("[32.0, 64.0, 128.0]"));
  EXPECT_EQ(p[4]["categoricalValueSpec"]["values"], json::parse(R"(["adam", "sgd"])"));
  EXPECT_EQ(p[5]["categoricalValueSpec"]["values"], json::parse(R"(["[64]", "[128,64]"])"));
  EXPECT_NEAR(p[6]["doubleValueSpec"]["minValue"].get<double>(), std::exp(-9.2), 1e-12);
  EXPECT_EQ(p[6]["scaleType"], "UNIT_LOG_SCALE");
}

TEST(VertexStudySpec, GridIsGridSearchWithTheDefaultMetric) {
  auto study = Study("method: grid\nparameters: {epochs: {values: [1, 2]}}\n");
  ASSERT_OK(study);
  EXPECT_EQ((*study)["algorithm"], "GRID_SEARCH");
  EXPECT_EQ((*study)["metrics"][0]["metricId"], "val_accuracy");
  EXPECT_EQ((*study)["metrics"][0]["goal"], "MAXIMIZE");
}

TEST(VertexStudySpec, RefusesWhatVertexCannotDraw) {
  const char* cases[][2] = {
      {"method: random\nrun_cap: 2\nparameters: {lr: {mu: 0.01, sigma: 0.001}}\n",
       "parameters.lr: Vertex AI cannot draw distribution normal"},
      {"method: random\nrun_cap: 2\nparameters: {b: {distribution: q_uniform, min: 1, max: 9, "
       "q: 2}}\n",
       "cannot draw distribution q_uniform"},
      {"method: random\nrun_cap: 2\nparameters: {o: {values: [a, b], probabilities: [0.5, "
       "0.5]}}\n",
       "no categorical probabilities"},
      {"method: grid\nparameters: {epochs: {value: 3}}\n", "nothing to tune"},
      {"- {epochs: 3}\n", "needs a W&B-style spec"},
  };
  for (const auto& c : cases) {
    auto study = Study(c[0]);
    ASSERT_EQ(study.status().code(), StatusCode::kInvalidArgument) << c[0];
    EXPECT_NE(study.status().message().find(c[1]), std::string::npos) << study.status().message();
  }
}

}  // namespace
}  // namespace sweep
