#include "worker/vertex.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "base/file.h"
#include "base/testing.h"

namespace sweep::worker {
namespace {

EnvFn FakeEnv(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

TEST(VertexFromEnv, VariablesAndTheDefaultMetricFile) {
  VertexTraining v = VertexFromEnv(FakeEnv({{"AIP_MODEL_DIR", "gs://b/out/3/model/"},
                                            {"AIP_CHECKPOINT_DIR", "gs://b/out/3/checkpoints/"},
                                            {"CLOUD_ML_TRIAL_ID", "3"}}));
  EXPECT_EQ(v.model_dir, "gs://b/out/3/model/");
  EXPECT_EQ(v.checkpoint_dir, "gs://b/out/3/checkpoints/");
  EXPECT_EQ(v.trial_id, "3");
  EXPECT_EQ(v.metric_file, "/tmp/hypertune/output.metrics");
  EXPECT_EQ(VertexFromEnv(FakeEnv({{"CLOUD_ML_HP_METRIC_FILE", "/m"}})).metric_file, "/m");
}

TEST(TrialOverrides, BothFlagForms) {
  auto o = TrialOverrides(
      {"--learning_rate=0.01", "--hidden", "[64]", "--optimizer.name", "sgd", "--l2=-0.5"});
  ASSERT_OK(o);
  EXPECT_EQ(*o, (std::vector<std::string>{"learning_rate=0.01", "hidden=[64]", "optimizer.name=sgd",
                                          "l2=-0.5"}));
  EXPECT_EQ(TrialOverrides({"stray"}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(TrialOverrides({"--epochs"}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(TrialOverrides({"--epochs", "--seed=1"}).status().code(), StatusCode::kInvalidArgument);
}

TEST(HypertuneMetric, NamedOrTheFirstDefault) {
  std::map<std::string, double> m = {{"train_loss", 0.5}, {"train_accuracy", 0.8}};
  EXPECT_EQ(HypertuneMetric(m, "")->first, "train_accuracy");
  m["val_accuracy"] = 0.75;
  EXPECT_EQ(HypertuneMetric(m, "")->first, "val_accuracy");
  EXPECT_EQ(HypertuneMetric(m, "train_loss")->second, 0.5);
  EXPECT_EQ(HypertuneMetric(m, "f1").status().code(), StatusCode::kInvalidArgument);
}

TEST(EpochMetric, TheFiniteValuesOfTheEpoch) {
  model::EpochRecord e;
  e.train.loss = 0.5;
  e.train.accuracy = 0.8;  // val: NaN (no validation split)
  EXPECT_EQ(EpochMetric(e, "")->first, "train_accuracy");
  EXPECT_FALSE(EpochMetric(e, "val_loss"));
  EXPECT_FALSE(EpochMetric(e, "test_accuracy"));
  e.val.accuracy = 0.7;
  EXPECT_EQ(EpochMetric(e, "")->second, 0.7);
}

// hypertune.py writes json.dumps({...}, sort_keys=True): ", " and ": ", str() of the floats.
TEST(HypertuneLine, CloudmlHypertuneFormat) {
  EXPECT_EQ(HypertuneLine("val_accuracy", 0.95, "3", 30, 1767225600.25),
            R"({"checkpoint_path": "", "global_step": "30", "timestamp": 1767225600.25, )"
            R"("trial": "3", "val_accuracy": "0.95"})");
  EXPECT_EQ(HypertuneLine("training/hptuning/metric", 1, "7", 0, 1767225600),
            R"({"checkpoint_path": "", "global_step": "0", "timestamp": 1767225600.0, )"
            R"("training/hptuning/metric": "1.0", "trial": "7"})");
}

TEST(ReportHypertuneMetric, KeepsTheLast100AndCreatesTheFolder) {
  testing::TestDir dir;
  const std::string path = dir.Path("hypertune/output.metrics");
  for (int i = 0; i < 105; ++i) {
    ASSERT_OK(ReportHypertuneMetric(path, HypertuneLine("loss", i, "1", i, 1767225600)));
  }
  std::string text;
  ASSERT_OK(ReadFile(path, &text));
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 100);
  const auto first = nlohmann::json::parse(text.substr(0, text.find('\n')));
  EXPECT_EQ(first["global_step"], "5");
}

}  // namespace
}  // namespace sweep::worker
