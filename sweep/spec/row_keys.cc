// The row-key table and the JSON readers its setters use. Rendering (ranges, defaults, the
// README table) is in row_keys_doc.cc.
#include "sweep/spec/row_keys.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "base/strings.h"

namespace sweep {
namespace {

using model::TrainConfig;
using nlohmann::json;

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr Range kNoRange{0, 0, false, false};

// Ranges as Validate wrote them before they moved here: `Above` and `AtLeastFinite` reject
// infinity, `AtLeast` lets it through (lr_min, early_stopping_min_delta).
constexpr Range Above(double lo) { return {lo, kInf, true, true}; }
constexpr Range AtLeast(double lo, std::string_view note = "") {
  return {lo, kInf, false, false, note};
}
constexpr Range AtLeastFinite(double lo) { return {lo, kInf, false, true}; }
constexpr Range kUnitHalfOpen{0, 1, false, true};    // [0, 1)
constexpr Range kUnitOpenClosed{0, 1, true, false};  // (0, 1]

Status TypeError(const std::string& key, const char* expected, const json& v) {
  return Status::InvalidArgument(key + ": expected " + expected + ", got " + v.dump());
}

Status ReadString(const std::string& key, const json& v, std::string* out) {
  if (!v.is_string()) return TypeError(key, "a string", v);
  *out = v.get<std::string>();
  return Status::Ok();
}

// Integers; an integral float (3.0) is accepted, 3.5 is not.
Status ReadInt64(const std::string& key, const json& v, int64_t lo, int64_t hi, int64_t* out) {
  if (v.is_number_unsigned()) {
    if (v.get<uint64_t>() > static_cast<uint64_t>(hi)) {
      return TypeError(key, "a smaller integer", v);
    }
    *out = static_cast<int64_t>(v.get<uint64_t>());
  } else if (v.is_number_integer()) {
    *out = v.get<int64_t>();
  } else if (v.is_number_float() && std::isfinite(v.get<double>()) &&
             v.get<double>() == std::trunc(v.get<double>()) && std::fabs(v.get<double>()) < 9e15) {
    *out = static_cast<int64_t>(v.get<double>());
  } else {
    return TypeError(key, "an integer", v);
  }
  if (*out < lo || *out > hi) {
    return TypeError(key, lo == 0 ? "an integer >= 0" : "a 32-bit integer", v);
  }
  return Status::Ok();
}

Status ReadInt(const std::string& key, const json& v, int* out) {
  int64_t i = 0;
  SWEEP_RETURN_IF_ERROR(
      ReadInt64(key, v, std::numeric_limits<int>::min(), std::numeric_limits<int>::max(), &i));
  *out = static_cast<int>(i);
  return Status::Ok();
}

Status ReadFloat(const std::string& key, const json& v, float* out) {
  if (!v.is_number()) return TypeError(key, "a number", v);
  *out = static_cast<float>(v.get<double>());
  return Status::Ok();
}

Status ReadBool(const std::string& key, const json& v, bool* out) {
  if (!v.is_boolean()) return TypeError(key, "true or false", v);
  *out = v.get<bool>();
  return Status::Ok();
}

// `out` is left as it was on an error, so a bad list is reported once, not also as a range.
Status ReadHidden(const std::string& key, const json& v, std::vector<int>* out) {
  std::vector<int> widths;
  if (v.is_number()) {
    widths.emplace_back();
    SWEEP_RETURN_IF_ERROR(ReadInt(key, v, &widths.back()));
  } else if (v.is_array()) {
    for (const auto& width : v) {
      int w;
      if (!ReadInt(key, width, &w).ok()) return TypeError(key, "a list of integers", v);
      widths.push_back(w);
    }
  } else {
    return TypeError(key, "a list of layer widths like [128, 64]", v);
  }
  *out = std::move(widths);
  return Status::Ok();
}

// The full uint64 range; negative or fractional seeds are type errors.
Status ReadSeed(const std::string& key, const json& v, uint64_t* out) {
  if (v.is_number_unsigned()) {
    *out = v.get<uint64_t>();
    return Status::Ok();
  }
  int64_t s = 0;
  SWEEP_RETURN_IF_ERROR(ReadInt64(key, v, 0, std::numeric_limits<int64_t>::max(), &s));
  *out = static_cast<uint64_t>(s);
  return Status::Ok();
}

template <typename T>
Status ReadEnum(const std::string& key, const json& v, StatusOr<T> (*parse)(std::string_view),
                T* out) {
  if (!v.is_string()) return TypeError(key, "a string", v);
  StatusOr<T> parsed = parse(v.get<std::string>());
  if (!parsed.ok()) return parsed.status();  // already names the key and the choices
  *out = *parsed;
  return Status::Ok();
}

// A float as the shortest decimal that reads back as the same float, stored as a double:
// result.json shows 0.001, not 0.0010000000474974513.
json FloatToJson(float f) {
  if (!std::isfinite(f)) return static_cast<double>(f);
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, f);
  return std::strtod(std::string(buf, r.ptr).c_str(), nullptr);
}

std::vector<double> HiddenValues(const TrainConfig& c) {
  return std::vector<double>(c.network.hidden.begin(), c.network.hidden.end());
}

// Each macro expands to the fields type, set, get, values, range, choices of a RowKey.
#define SWEEP_SETTER(read, field) \
  [](const std::string& k, const json& v, TrainConfig* c) { return read(k, v, &c->field); }
#define SWEEP_VALUE(field) \
  [](const TrainConfig& c) { return std::vector<double>{static_cast<double>(c.field)}; }
#define SWEEP_STRING(field)                          \
  KeyType::kString, SWEEP_SETTER(ReadString, field), \
      [](const TrainConfig& c) { return json(c.field); }, nullptr, kNoRange, nullptr
#define SWEEP_BOOL(field)                        \
  KeyType::kBool, SWEEP_SETTER(ReadBool, field), \
      [](const TrainConfig& c) { return json(c.field); }, nullptr, kNoRange, nullptr
#define SWEEP_INT(field, range)                    \
  KeyType::kInteger, SWEEP_SETTER(ReadInt, field), \
      [](const TrainConfig& c) { return json(c.field); }, SWEEP_VALUE(field), range, nullptr
#define SWEEP_FLOAT(field, range)                                                           \
  KeyType::kNumber, SWEEP_SETTER(ReadFloat, field),                                         \
      [](const TrainConfig& c) { return FloatToJson(c.field); }, SWEEP_VALUE(field), range, \
      nullptr
#define SWEEP_ENUM(field, Type)                                                                  \
  KeyType::kChoice,                                                                              \
      [](const std::string& k, const json& v, TrainConfig* c) {                                  \
        return ReadEnum(k, v, &model::Parse##Type, &c->field);                                   \
      },                                                                                         \
      [](const TrainConfig& c) { return json(std::string(model::ToString(c.field))); }, nullptr, \
      kNoRange, &model::ChoiceNames<model::Type>

// name, type..choices (one macro), default text ("" = TrainConfig's), doc.
const RowKey kRowKeys[] = {
    {"dataset", SWEEP_STRING(data.dataset), "required", "training data (see Data)"},
    {"test_dataset", SWEEP_STRING(data.test_dataset), "none",
     "evaluated after training → `test_loss`, `test_accuracy`"},
    {"skip_rows", SWEEP_INT(data.skip_rows, AtLeast(0)), "",
     "CSV only: lines skipped at the top of `dataset` and `test_dataset` before the header or "
     "data (`1` for sklearn's `iris.csv`)"},
    {"hidden", KeyType::kIntegers, SWEEP_SETTER(ReadHidden, network.hidden),
     [](const TrainConfig& c) { return json(c.network.hidden); }, &HiddenValues, AtLeast(1),
     nullptr, "",
     "hidden layer widths (one integer: one layer); `[]` = softmax (or linear) regression"},
    {"activation", SWEEP_ENUM(network.activation, Activation), "", "of every hidden layer"},
    {"init", SWEEP_ENUM(network.init, Init), "",
     "`auto` = He for relu layers, Xavier (Glorot) otherwise"},
    {"loss", SWEEP_ENUM(network.loss, Loss), "",
     "softmax cross-entropy over integer labels, or `mse` (regression on the last column)"},
    {"optimizer", SWEEP_ENUM(optimizer.kind, Optimizer), "",
     "update rule, tuned by the keys below"},
    {"learning_rate", SWEEP_FLOAT(optimizer.learning_rate, Above(0)), "", "initial step size"},
    {"momentum", SWEEP_FLOAT(optimizer.momentum, kUnitHalfOpen), "", "for `momentum`"},
    {"nesterov", SWEEP_BOOL(optimizer.nesterov), "", "Nesterov momentum, only with `momentum`"},
    {"beta1", SWEEP_FLOAT(optimizer.beta1, kUnitHalfOpen), "",
     "first-moment decay, for `adam`/`adamw`"},
    {"beta2", SWEEP_FLOAT(optimizer.beta2, kUnitHalfOpen), "",
     "second-moment decay, for `adam`/`adamw`"},
    {"epsilon", SWEEP_FLOAT(optimizer.epsilon, Above(0)), "",
     "denominator guard, for `adam`/`adamw`"},
    {"weight_decay", SWEEP_FLOAT(optimizer.weight_decay, AtLeastFinite(0)), "",
     "L2 on weights (not biases); coupled for sgd/momentum/adam, decoupled for adamw"},
    {"lr_schedule", SWEEP_ENUM(schedule.kind, LrSchedule), "",
     "`step` (× `lr_gamma` every `lr_step_epochs`), `cosine` (down to `lr_min`)"},
    {"lr_step_epochs", SWEEP_INT(schedule.step_epochs, AtLeast(1)), "",
     "for `step`: epochs between two cuts of the rate"},
    {"lr_gamma", SWEEP_FLOAT(schedule.gamma, kUnitOpenClosed), "",
     "for `step`: factor the rate is multiplied by at each cut"},
    {"lr_min", SWEEP_FLOAT(schedule.min_lr, AtLeast(0)), "",
     "for `cosine`: rate reached at the last epoch, at most `learning_rate`"},
    {"batch_size", SWEEP_INT(batch_size, AtLeast(0, " (0 = full batch)")), "",
     "samples per step. Batches are reshuffled every epoch"},
    {"epochs", SWEEP_INT(epochs, AtLeast(1)), "", "passes over the training rows"},
    {"seed", KeyType::kInteger, SWEEP_SETTER(ReadSeed, seed),
     [](const TrainConfig& c) { return json(c.seed); }, SWEEP_VALUE(seed), AtLeast(0), nullptr, "",
     "init, shuffling and validation split: same seed, build and thread count → "
     "bit-identical weights"},
    {"validation_split", SWEEP_FLOAT(data.validation_split, kUnitHalfOpen), "",
     "fraction of training rows held out → `val_loss`, `val_accuracy`"},
    {"early_stopping_patience", SWEEP_INT(early_stopping.patience, AtLeast(0)), "",
     "`0` = off; epochs without improvement of `early_stopping_metric` before stopping (needs "
     "`validation_split` > 0); the best epoch's weights are kept"},
    {"early_stopping_metric", SWEEP_ENUM(early_stopping.metric, EarlyStoppingMetric), "",
     "`val_loss` is minimized, `val_accuracy` maximized (needs loss `cross_entropy`)"},
    {"early_stopping_min_delta", SWEEP_FLOAT(early_stopping.min_delta, AtLeast(0)), "",
     "smallest change of `early_stopping_metric` that counts as an improvement"},
    {"threads", SWEEP_INT(threads, AtLeast(0, " (0 = CPU quota)")), "",
     "training threads; 0 = the CPU quota of the container"},
    {"device", SWEEP_ENUM(device, Device), "",
     "`cuda` needs a CUDA build (not built by default): a CPU-only worker fails at once, before "
     "reading "
     "data; `sweep validate` warns"},
    {"checkpoint_seconds", SWEEP_FLOAT(checkpoint.seconds, AtLeastFinite(0)), "",
     "the worker saves the whole training state at most this often, at a mini-batch boundary "
     "(and at once on SIGTERM); `0` = at the end of each epoch. A resumed row is bit-identical"},
    {"keep_checkpoint", SWEEP_BOOL(checkpoint.keep), "",
     "keep `{index}/checkpoint/` after the final publish (removed by default)"},
};

// Names brought from Keras, PyTorch, scikit-learn, pandas and W&B habits. Only real
// equivalents get a key; a habit with none gets a note instead of a misleading suggestion.
const KeyAlias kKeyAliases[] = {
    {"lr", "learning_rate"},
    {"learning_rate_init", "learning_rate"},  // scikit-learn MLP
    {"units", "hidden"},
    {"num_units", "hidden"},
    {"hidden_units", "hidden"},
    {"hidden_size", "hidden"},
    {"hidden_sizes", "hidden"},
    {"hidden_layers", "hidden"},
    {"hidden_layer_sizes", "hidden"},  // scikit-learn MLP
    {"layers", "hidden"},
    {"optim", "optimizer"},
    {"solver", "optimizer"},  // scikit-learn MLP
    {"kernel_initializer", "init"},
    {"initializer", "init"},
    {"criterion", "loss"},  // PyTorch
    {"beta_1", "beta1"},
    {"beta_2", "beta2"},
    {"eps", "epsilon"},
    {"nesterovs_momentum", "nesterov"},  // scikit-learn MLP
    {"wd", "weight_decay"},
    {"l2", "weight_decay"},
    {"alpha", "weight_decay"},  // scikit-learn MLP: the L2 penalty
    {"scheduler", "lr_schedule"},
    {"lr_scheduler", "lr_schedule"},
    {"step_size", "lr_step_epochs"},  // PyTorch StepLR
    {"gamma", "lr_gamma"},
    {"eta_min", "lr_min"},  // PyTorch CosineAnnealingLR
    {"batch", "batch_size"},
    {"bs", "batch_size"},
    {"n_epochs", "epochs"},
    {"num_epochs", "epochs"},
    {"max_epochs", "epochs"},  // PyTorch Lightning
    {"max_iter", "epochs"},    // scikit-learn MLP (epochs for its sgd and adam)
    {"random_state", "seed"},
    {"random_seed", "seed"},
    {"val_split", "validation_split"},
    {"validation_fraction", "validation_split"},  // scikit-learn MLP
    {"patience", "early_stopping_patience"},
    {"monitor", "early_stopping_metric"},
    {"min_delta", "early_stopping_min_delta"},
    {"n_jobs", "threads"},
    {"num_threads", "threads"},
    {"data", "dataset"},
    {"train_data", "dataset"},
    {"test_data", "test_dataset"},
    {"skiprows", "skip_rows"},  // pandas read_csv
    {"dropout", "", "not supported: the network has no dropout layers"},
};

#undef SWEEP_SETTER
#undef SWEEP_VALUE
#undef SWEEP_STRING
#undef SWEEP_BOOL
#undef SWEEP_INT
#undef SWEEP_FLOAT
#undef SWEEP_ENUM

}  // namespace

std::span<const RowKey> AllRowKeys() { return kRowKeys; }

const RowKey* FindRowKey(std::string_view name) {
  for (const RowKey& k : kRowKeys) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

std::span<const KeyAlias> AllKeyAliases() { return kKeyAliases; }

std::string UnknownKeyMessage(std::string_view name) {
  std::string message = std::string(name) + ": unknown key";
  for (const KeyAlias& a : kKeyAliases) {
    if (a.alias != name) continue;
    if (a.key.empty()) return message + " (" + std::string(a.note) + ")";
    return message + " (did you mean '" + std::string(a.key) + "'?)";
  }
  std::vector<std::string> names;
  for (const RowKey& k : kRowKeys) names.emplace_back(k.name);
  return message + DidYouMean(name, names);
}

}  // namespace sweep
