#include "sweep/spec/row_config.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include "base/testing.h"

namespace sweep {
namespace {

using nlohmann::json;

std::string ErrorOf(const json& row) {
  auto c = ConfigFromRow(row);
  return c.ok() ? "OK" : c.status().message();
}

TEST(RowConfig, FillsEveryField) {
  auto c = ConfigFromRow(json::parse(R"({
    "dataset": "synthetic:blobs", "test_dataset": "t.h5", "hidden": [128, 64],
    "activation": "tanh", "optimizer": "momentum", "learning_rate": 0.05, "momentum": 0.8,
    "nesterov": true, "weight_decay": 1e-4, "beta1": 0.8, "beta2": 0.99, "epsilon": 1e-8,
    "batch_size": 0, "epochs": 3.0, "seed": 42, "validation_split": 0.2,
    "early_stopping_patience": 2, "early_stopping_metric": "val_accuracy",
    "early_stopping_min_delta": 0.001, "lr_schedule": "cosine", "lr_step_epochs": 4,
    "lr_gamma": 0.5, "lr_min": 0.001, "loss": "cross_entropy", "init": "xavier",
    "threads": 2, "device": "cpu"})"));
  ASSERT_OK(c);
  EXPECT_EQ(c->data.dataset, "synthetic:blobs");
  EXPECT_EQ(c->data.test_dataset, "t.h5");
  EXPECT_EQ(c->network.hidden, (std::vector<int>{128, 64}));
  EXPECT_EQ(c->network.activation, model::Activation::kTanh);
  EXPECT_EQ(c->network.init, model::Init::kXavier);
  EXPECT_EQ(c->optimizer.kind, model::Optimizer::kMomentum);
  EXPECT_FLOAT_EQ(c->optimizer.learning_rate, 0.05f);
  EXPECT_TRUE(c->optimizer.nesterov);
  EXPECT_FLOAT_EQ(c->optimizer.epsilon, 1e-8f);
  EXPECT_EQ(c->batch_size, 0);
  EXPECT_EQ(c->epochs, 3);  // 3.0 is accepted as an integer
  EXPECT_EQ(c->seed, 42u);
  EXPECT_EQ(c->early_stopping.patience, 2);
  EXPECT_EQ(c->early_stopping.metric, model::EarlyStoppingMetric::kValAccuracy);
  EXPECT_EQ(c->schedule.kind, model::LrSchedule::kCosine);
  EXPECT_EQ(c->schedule.step_epochs, 4);
  EXPECT_FLOAT_EQ(c->schedule.gamma, 0.5f);
  EXPECT_EQ(c->threads, 2);
  EXPECT_EQ(c->device, model::Device::kCpu);
}

TEST(RowConfig, DefaultsAndSingleIntHidden) {
  auto c = ConfigFromRow(json::parse(R"({"dataset": "d.h5", "hidden": 32})"));
  ASSERT_OK(c);
  EXPECT_EQ(c->network.hidden, std::vector<int>{32});
  model::TrainConfig defaults;
  EXPECT_EQ(c->epochs, defaults.epochs);
  EXPECT_EQ(c->optimizer.kind, defaults.optimizer.kind);
  auto empty = ConfigFromRow(json::parse(R"({"dataset": "d.h5", "hidden": []})"));
  ASSERT_OK(empty);
  EXPECT_TRUE(empty->network.hidden.empty());
}

TEST(RowConfig, UnknownKeySuggestsNearest) {
  EXPECT_EQ(ErrorOf(json::parse(R"({"dataset": "d", "lerning_rate": 0.1})")),
            "lerning_rate: unknown key (did you mean 'learning_rate'?)");
  EXPECT_EQ(ErrorOf(json::parse(R"({"dataset": "d", "zzzzzzzzzz": 1})")),
            "zzzzzzzzzz: unknown key");
}

TEST(RowConfig, TypeErrorsNameTheKey) {
  auto with = [](const char* key, json v) {
    json row = {{"dataset", "d"}};
    row[key] = std::move(v);
    return ErrorOf(row);
  };
  EXPECT_EQ(with("epochs", "ten"), "epochs: expected an integer, got \"ten\"");
  EXPECT_EQ(with("epochs", 3.5), "epochs: expected an integer, got 3.5");
  EXPECT_EQ(with("epochs", true), "epochs: expected an integer, got true");
  EXPECT_EQ(with("learning_rate", "fast"), "learning_rate: expected a number, got \"fast\"");
  EXPECT_EQ(with("nesterov", 1), "nesterov: expected true or false, got 1");
  EXPECT_EQ(with("dataset", 3), "dataset: expected a string, got 3");
  EXPECT_EQ(with("hidden", json::parse(R"([64, "x"])")),
            "hidden: expected a list of integers, got [64,\"x\"]");
  EXPECT_EQ(with("seed", -1), "seed: expected an integer >= 0, got -1");
  EXPECT_EQ(with("batch_size", 1e12), "batch_size: expected a 32-bit integer, got 1000000000000.0");
  EXPECT_EQ(with("activation", "relux").rfind("activation must be one of relu, tanh, sigmoid", 0),
            0u);
  EXPECT_EQ(ErrorOf(json::array()), "expected a mapping of row keys, got []");
}

TEST(RowConfig, RequiredDatasetAndValidate) {
  EXPECT_EQ(ErrorOf(json::parse(R"({"epochs": 2})")), "dataset: required key missing");
  EXPECT_EQ(ErrorOf(json::parse(R"({"dataset": "d", "learning_rate": -1})")),
            "learning_rate must be > 0, got -1");
}

TEST(RowConfig, ValidateRowsReportsEachBadRowByIndex) {
  const std::vector<json> rows = {json::parse(R"({"dataset": "d"})"),
                                  json::parse(R"({"dataset": "d", "learning_rate": -1})"),
                                  json::parse(R"({"dataset": "d", "epochs": "ten"})")};
  EXPECT_EQ(ValidateRows(rows),
            (std::vector<std::string>{"row 1: learning_rate must be > 0, got -1",
                                      "row 2: epochs: expected an integer, got \"ten\""}));
  EXPECT_TRUE(ValidateRows({rows[0]}).empty());
}

TEST(RowConfig, ValidateRowsListsEveryProblemOfARow) {
  const std::vector<json> rows = {json::parse(R"({"lr": 0.1, "optimizer": "Adam"})"),
                                  json::parse(R"({"dataset": "d", "epochs": 0})")};
  EXPECT_EQ(ValidateRows(rows),
            (std::vector<std::string>{"row 0: lr: unknown key (did you mean 'learning_rate'?)",
                                      "row 0: dataset: required key missing",
                                      "row 1: epochs must be >= 1, got 0"}));
}

// The tutorial row of issue 15 item 10 took five fix-and-rerun rounds; now one.
TEST(RowConfig, TutorialRowReportsEveryProblemAtOnce) {
  EXPECT_EQ(
      ErrorOf(json::parse(
          R"({"lr": 0.01, "num_units": 64, "dropout": 0.2, "optimizer": "Adam", "epochs": 5})")),
      "dropout: unknown key (not supported: the network has no dropout layers); lr: unknown key "
      "(did you mean 'learning_rate'?); num_units: unknown key (did you mean 'hidden'?); "
      "dataset: required key missing");
}

TEST(RowConfig, TypesRangesAndRulesTogether) {
  EXPECT_EQ(ErrorOf(json::parse(R"({"dataset": "d", "learning_rate": -1, "nesterov": true,
                                    "early_stopping_patience": 2, "lerning_rate": 1})")),
            "lerning_rate: unknown key (did you mean 'learning_rate'?); learning_rate must be > "
            "0, got -1; nesterov requires optimizer momentum, got optimizer adam; "
            "early_stopping_patience > 0 requires validation_split > 0, got validation_split 0");
  // The rules between keys wait for values that can be read: `optimizer: 3` leaves adam, and
  // "nesterov requires optimizer momentum, got optimizer adam" would blame a value not written.
  EXPECT_EQ(ErrorOf(json::parse(R"({"dataset": "d", "optimizer": 3, "nesterov": true,
                                    "epochs": 0, "hidden": [8, "x"]})")),
            "hidden: expected a list of integers, got [8,\"x\"]; optimizer: expected a string, "
            "got 3; epochs must be >= 1, got 0");
}

TEST(RowConfig, ChoicesIgnoreCaseAndAreStoredCanonically) {
  auto c = ConfigFromRow(json::parse(R"({"dataset": "d", "optimizer": "Adam",
      "activation": "ReLU", "loss": "Cross_Entropy", "init": "He", "lr_schedule": "Cosine",
      "early_stopping_metric": "VAL_LOSS", "device": "CPU"})"));
  ASSERT_OK(c);
  EXPECT_EQ(c->optimizer.kind, model::Optimizer::kAdam);
  const json row = ConfigToRow(*c);
  EXPECT_EQ(row["optimizer"], "adam");
  EXPECT_EQ(row["activation"], "relu");
  EXPECT_EQ(row["loss"], "cross_entropy");
  EXPECT_EQ(row["init"], "he");
  EXPECT_EQ(row["lr_schedule"], "cosine");
  EXPECT_EQ(row["early_stopping_metric"], "val_loss");
  EXPECT_EQ(row["device"], "cpu");
  EXPECT_EQ(ErrorOf(json::parse(R"({"dataset": "d", "optimizer": "Adamm"})")),
            "optimizer must be one of sgd, momentum, adam, adamw, got 'Adamm' (did you mean "
            "'adam'?)");
}

TEST(RowConfig, AliasesFromOtherLibrariesSuggestTheirKey) {
  EXPECT_EQ(ErrorOf(json::parse(R"({"dataset": "d", "units": 64})")),
            "units: unknown key (did you mean 'hidden'?)");
  EXPECT_EQ(ErrorOf(json::parse(R"({"dataset": "d", "batch": 64})")),
            "batch: unknown key (did you mean 'batch_size'?)");
  EXPECT_EQ(ErrorOf(json::parse(R"({"dataset": "d", "random_state": 1})")),
            "random_state: unknown key (did you mean 'seed'?)");
}

TEST(RowConfig, SkipRowsIsAnIntegerAtLeastZero) {
  auto c = ConfigFromRow(json::parse(R"({"dataset": "iris.csv", "skip_rows": 1})"));
  ASSERT_OK(c);
  EXPECT_EQ(c->data.skip_rows, 1);
  EXPECT_EQ(ConfigToRow(*c)["skip_rows"], 1);
  EXPECT_EQ(ConfigFromRow(json::parse(R"({"dataset": "d"})"))->data.skip_rows, 0);
  EXPECT_EQ(ErrorOf(json::parse(R"({"dataset": "d", "skip_rows": -1})")),
            "skip_rows must be >= 0, got -1");
  EXPECT_EQ(ErrorOf(json::parse(R"({"dataset": "d", "skip_rows": "1"})")),
            "skip_rows: expected an integer, got \"1\"");
}

TEST(RowConfig, RowKeysSortedAndComplete) {
  const auto& keys = RowKeys();
  EXPECT_TRUE(std::is_sorted(keys.begin(), keys.end()));
  EXPECT_EQ(keys.size(), 30u);
  json row = ConfigToRow(model::TrainConfig{});
  EXPECT_EQ(row.size(), keys.size());
  for (const auto& k : keys) EXPECT_TRUE(row.contains(k)) << k;
}

void ExpectSameConfig(const model::TrainConfig& a, const model::TrainConfig& b) {
  EXPECT_EQ(a.network.hidden, b.network.hidden);
  EXPECT_EQ(a.network.activation, b.network.activation);
  EXPECT_EQ(a.network.init, b.network.init);
  EXPECT_EQ(a.network.loss, b.network.loss);
  EXPECT_EQ(a.optimizer.kind, b.optimizer.kind);
  EXPECT_EQ(a.optimizer.learning_rate, b.optimizer.learning_rate);
  EXPECT_EQ(a.optimizer.momentum, b.optimizer.momentum);
  EXPECT_EQ(a.optimizer.nesterov, b.optimizer.nesterov);
  EXPECT_EQ(a.optimizer.beta1, b.optimizer.beta1);
  EXPECT_EQ(a.optimizer.beta2, b.optimizer.beta2);
  EXPECT_EQ(a.optimizer.epsilon, b.optimizer.epsilon);
  EXPECT_EQ(a.optimizer.weight_decay, b.optimizer.weight_decay);
  EXPECT_EQ(a.schedule.kind, b.schedule.kind);
  EXPECT_EQ(a.schedule.step_epochs, b.schedule.step_epochs);
  EXPECT_EQ(a.schedule.gamma, b.schedule.gamma);
  EXPECT_EQ(a.schedule.min_lr, b.schedule.min_lr);
  EXPECT_EQ(a.data.dataset, b.data.dataset);
  EXPECT_EQ(a.data.test_dataset, b.data.test_dataset);
  EXPECT_EQ(a.data.validation_split, b.data.validation_split);
  EXPECT_EQ(a.early_stopping.patience, b.early_stopping.patience);
  EXPECT_EQ(a.early_stopping.metric, b.early_stopping.metric);
  EXPECT_EQ(a.early_stopping.min_delta, b.early_stopping.min_delta);
  EXPECT_EQ(a.batch_size, b.batch_size);
  EXPECT_EQ(a.epochs, b.epochs);
  EXPECT_EQ(a.seed, b.seed);
  EXPECT_EQ(a.threads, b.threads);
  EXPECT_EQ(a.device, b.device);
}

TEST(RowConfig, ConfigToRowRoundTrips) {
  model::TrainConfig c;
  c.data.dataset = "s3://b/train.h5";
  c.data.test_dataset = "test.h5";
  c.data.validation_split = 0.15f;
  c.network.hidden = {300, 100, 7};
  c.network.activation = model::Activation::kSigmoid;
  c.network.loss = model::Loss::kMse;
  c.network.init = model::Init::kHe;
  c.optimizer.kind = model::Optimizer::kAdamW;
  c.optimizer.learning_rate = 3.3e-4f;
  c.optimizer.weight_decay = 0.01f;
  c.optimizer.epsilon = 1e-7f;
  c.schedule.kind = model::LrSchedule::kStep;
  c.schedule.step_epochs = 3;
  c.schedule.gamma = 0.7f;
  c.early_stopping.patience = 4;
  c.early_stopping.min_delta = 1e-5f;
  c.batch_size = 0;
  c.epochs = 17;
  c.seed = 0xFFFFFFFFFFFFFFFFULL;  // the full uint64 range survives
  c.threads = 3;
  c.device = model::Device::kCuda;
  json row = ConfigToRow(c);
  EXPECT_EQ(row["learning_rate"].dump(), "0.00033");  // shortest float text, not 0.000330000...
  EXPECT_EQ(row["device"], "cuda");
  auto back = ConfigFromRow(row);
  ASSERT_OK(back);
  ExpectSameConfig(*back, c);
  // And through JSON text, as result.json stores it.
  auto reparsed = ConfigFromRow(json::parse(row.dump()));
  ASSERT_OK(reparsed);
  ExpectSameConfig(*reparsed, c);
}

TEST(RowConfig, FloatsRoundTripExactly) {
  std::mt19937 gen(5);  // test-only randomness; the values need not be portable
  for (int i = 0; i < 4000; ++i) {
    uint32_t bits = gen() & 0x7f7fffffu;  // finite, positive
    float f;
    std::memcpy(&f, &bits, sizeof f);
    if (!(f > 0)) continue;
    model::TrainConfig c;
    c.data.dataset = "d";
    c.optimizer.weight_decay = f;
    auto back = ConfigFromRow(json::parse(ConfigToRow(c).dump()));
    ASSERT_OK(back);
    ASSERT_EQ(back->optimizer.weight_decay, f) << bits;
  }
}

}  // namespace
}  // namespace sweep
