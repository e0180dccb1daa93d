#include "sweep/spec/row_keys.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "base/testing.h"
#include "sweep/spec/row_config.h"

namespace sweep {
namespace {

using model::TrainConfig;
using nlohmann::json;

// A valid row in which every key differs from its default.
json EveryKeyChanged() {
  return json::parse(R"({
    "dataset": "train.h5", "test_dataset": "test.h5", "skip_rows": 1, "hidden": [16, 8],
    "activation": "tanh", "init": "he", "loss": "cross_entropy", "optimizer": "momentum",
    "learning_rate": 0.05, "momentum": 0.8, "nesterov": true, "beta1": 0.8, "beta2": 0.99,
    "epsilon": 1e-08, "weight_decay": 0.0001, "lr_schedule": "cosine", "lr_step_epochs": 4,
    "lr_gamma": 0.5, "lr_min": 0.001, "batch_size": 0, "epochs": 3, "seed": 42,
    "validation_split": 0.2, "early_stopping_patience": 2,
    "early_stopping_metric": "val_accuracy", "early_stopping_min_delta": 0.01, "threads": 2,
    "device": "cuda", "checkpoint_seconds": 0.5, "keep_checkpoint": true})");
}

TEST(RowKeys, ConfigToRowOfConfigFromRowIsTheRow) {
  const json row = EveryKeyChanged();
  auto config = ConfigFromRow(row);
  ASSERT_OK(config);
  EXPECT_EQ(ConfigToRow(*config), row);
  EXPECT_EQ(ConfigToRow(*config).dump(), row.dump());
}

TEST(RowKeys, EveryKeyHasADocAndChangesOnlyItsOwnField) {
  json changed = EveryKeyChanged();
  changed["loss"] = "mse";  // one key at a time need not be a valid row
  const json defaults = ConfigToRow(TrainConfig{});
  EXPECT_EQ(changed.size(), AllRowKeys().size());
  std::set<std::string_view> seen;
  for (const RowKey& k : AllRowKeys()) {
    const std::string name(k.name);
    EXPECT_TRUE(seen.insert(k.name).second) << name << " declared twice";
    EXPECT_FALSE(k.doc.empty()) << name;
    EXPECT_EQ(k.doc.find('|'), std::string_view::npos) << name;
    EXPECT_NE(changed[name], defaults[name]) << name << ": the test row must change it";
    TrainConfig c;
    ASSERT_OK(k.set(name, changed[name], &c));
    json expected = defaults;
    expected[name] = changed[name];
    EXPECT_EQ(ConfigToRow(c), expected) << name;
    EXPECT_EQ(k.choices != nullptr, k.type == KeyType::kChoice) << name;
  }
}

TEST(RowKeys, DefaultsAreWithinRanges) {
  ASSERT_OK(CheckRanges(TrainConfig{}));
  for (const RowKey& k : AllRowKeys()) EXPECT_FALSE(DefaultText(k).empty()) << k.name;
}

struct BadCase {
  const char* expected;
  void (*mutate)(TrainConfig*);
};

TEST(RowKeys, RangeMessagesNameTheRowKey) {
  const BadCase cases[] = {
      {"learning_rate must be > 0, got -1",
       [](TrainConfig* c) { c->optimizer.learning_rate = -1; }},
      {"learning_rate must be > 0, got nan",
       [](TrainConfig* c) { c->optimizer.learning_rate = std::nanf(""); }},
      {"learning_rate must be > 0, got inf",
       [](TrainConfig* c) { c->optimizer.learning_rate = INFINITY; }},
      {"momentum must be in [0, 1), got 1", [](TrainConfig* c) { c->optimizer.momentum = 1; }},
      {"weight_decay must be >= 0, got -0.1",
       [](TrainConfig* c) { c->optimizer.weight_decay = -0.1f; }},
      {"weight_decay must be >= 0, got inf",
       [](TrainConfig* c) { c->optimizer.weight_decay = INFINITY; }},
      {"beta1 must be in [0, 1), got 1", [](TrainConfig* c) { c->optimizer.beta1 = 1; }},
      {"beta2 must be in [0, 1), got -0.5", [](TrainConfig* c) { c->optimizer.beta2 = -0.5f; }},
      {"epsilon must be > 0, got 0", [](TrainConfig* c) { c->optimizer.epsilon = 0; }},
      {"batch_size must be >= 0 (0 = full batch), got -3",
       [](TrainConfig* c) { c->batch_size = -3; }},
      {"epochs must be >= 1, got 0", [](TrainConfig* c) { c->epochs = 0; }},
      {"threads must be >= 0 (0 = CPU quota), got -1", [](TrainConfig* c) { c->threads = -1; }},
      {"validation_split must be in [0, 1), got 1",
       [](TrainConfig* c) { c->data.validation_split = 1; }},
      {"early_stopping_patience must be >= 0, got -2",
       [](TrainConfig* c) { c->early_stopping.patience = -2; }},
      {"early_stopping_min_delta must be >= 0, got -1",
       [](TrainConfig* c) { c->early_stopping.min_delta = -1; }},
      {"lr_step_epochs must be >= 1, got 0", [](TrainConfig* c) { c->schedule.step_epochs = 0; }},
      {"lr_gamma must be in (0, 1], got 1.5", [](TrainConfig* c) { c->schedule.gamma = 1.5f; }},
      {"lr_min must be >= 0, got -1", [](TrainConfig* c) { c->schedule.min_lr = -1; }},
      {"hidden[1] must be >= 1, got 0",
       [](TrainConfig* c) {
         c->network.hidden = {8, 0};
       }},
  };
  for (const BadCase& bad : cases) {
    TrainConfig c;
    bad.mutate(&c);
    Status s = CheckRanges(c);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << bad.expected;
    EXPECT_EQ(s.message(), bad.expected);
  }
  TrainConfig c;  // infinity is let through where Validate let it through
  c.schedule.min_lr = INFINITY;
  c.early_stopping.min_delta = INFINITY;
  EXPECT_OK(CheckRanges(c));
}

TEST(RowKeys, ConfigFromRowChecksRanges) {
  auto c = ConfigFromRow(json::parse(R"({"dataset": "d", "hidden": [4, -1]})"));
  EXPECT_EQ(c.status().message(), "hidden[1] must be >= 1, got -1");
  c = ConfigFromRow(json::parse(R"({"dataset": "d", "early_stopping_metric": "loss"})"));
  EXPECT_EQ(c.status().message(),
            "early_stopping_metric must be one of val_loss, val_accuracy, got 'loss'");
}

TEST(RowKeys, RangeProblemsListsEveryKeyOutOfRange) {
  TrainConfig c;
  c.optimizer.learning_rate = -1;
  c.epochs = 0;
  c.network.hidden = {0, 0};
  EXPECT_EQ(RangeProblems(c), (std::vector<std::string>{"hidden[0] must be >= 1, got 0",
                                                        "learning_rate must be > 0, got -1",
                                                        "epochs must be >= 1, got 0"}));
  EXPECT_EQ(CheckRanges(c).message(),
            "hidden[0] must be >= 1, got 0; learning_rate must be > 0, got -1; epochs must be >= "
            "1, got 0");
}

// One alias table: each alias names a real key (or says why there is none) and is not a key.
TEST(RowKeys, AliasesPointAtRealKeys) {
  std::set<std::string_view> seen;
  for (const KeyAlias& a : AllKeyAliases()) {
    EXPECT_TRUE(seen.insert(a.alias).second) << a.alias << " declared twice";
    EXPECT_EQ(FindRowKey(a.alias), nullptr) << a.alias << " is a key";
    if (a.key.empty()) {
      EXPECT_FALSE(a.note.empty()) << a.alias;
    } else {
      EXPECT_NE(FindRowKey(a.key), nullptr) << a.alias << " -> " << a.key;
    }
  }
  EXPECT_EQ(UnknownKeyMessage("lr"), "lr: unknown key (did you mean 'learning_rate'?)");
  EXPECT_EQ(UnknownKeyMessage("num_units"), "num_units: unknown key (did you mean 'hidden'?)");
  EXPECT_EQ(UnknownKeyMessage("dropout"),
            "dropout: unknown key (not supported: the network has no dropout layers)");
  EXPECT_EQ(UnknownKeyMessage("epoch"), "epoch: unknown key (did you mean 'epochs'?)");
  EXPECT_EQ(UnknownKeyMessage("zzzzzzzz"), "zzzzzzzz: unknown key");
}

TEST(RowKeys, MarkdownHasOneLinePerKey) {
  const std::string md = RowKeysMarkdown();
  EXPECT_EQ(md.rfind("| key | type | default | range | meaning |\n|---|---|---|---|---|\n", 0), 0u);
  EXPECT_EQ(static_cast<size_t>(std::count(md.begin(), md.end(), '\n')), AllRowKeys().size() + 2);
  EXPECT_NE(md.find("\n| `learning_rate` | number | `0.001` | > 0 | initial step size |\n"),
            std::string::npos);
  EXPECT_NE(md.find("\n| `dataset` | string | required |  | training data (see Data) |\n"),
            std::string::npos);
  EXPECT_NE(md.find("| `activation` | choice | `relu` | `relu`, `tanh`, `sigmoid` |"),
            std::string::npos);
  EXPECT_NE(md.find("| `hidden` | integer list | `[]` | each >= 1 |"), std::string::npos);
  EXPECT_NE(md.find("| `epsilon` | number | `1e-07` | > 0 |"), std::string::npos);
}

TEST(RowKeys, TextIsAligned) {
  const std::string text = RowKeysText();
  EXPECT_EQ(text.find('`'), std::string::npos);
  const size_t type_column = text.find("TYPE");
  const size_t line = text.find("\nlearning_rate ");
  ASSERT_NE(line, std::string::npos);
  EXPECT_EQ(text.substr(line + 1 + type_column, 6), "number");
}

}  // namespace
}  // namespace sweep
