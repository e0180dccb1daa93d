// Row keys -> model::TrainConfig: one table of key, setter and getter, so ConfigFromRow and
// ConfigToRow cannot drift apart.
#include "sweep/spec/row_config.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <limits>

#include "base/strings.h"

namespace sweep {
namespace {

using nlohmann::json;
using model::TrainConfig;

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
    if (v.get<uint64_t>() > static_cast<uint64_t>(hi)) return TypeError(key, "a smaller integer", v);
    *out = static_cast<int64_t>(v.get<uint64_t>());
  } else if (v.is_number_integer()) {
    *out = v.get<int64_t>();
  } else if (v.is_number_float() && std::isfinite(v.get<double>()) &&
             v.get<double>() == std::trunc(v.get<double>()) && std::fabs(v.get<double>()) < 9e15) {
    *out = static_cast<int64_t>(v.get<double>());
  } else {
    return TypeError(key, "an integer", v);
  }
  if (*out < lo || *out > hi) return TypeError(key, lo == 0 ? "an integer >= 0" : "a 32-bit integer", v);
  return Status::Ok();
}

Status ReadInt(const std::string& key, const json& v, int* out) {
  int64_t i;
  SWEEP_RETURN_IF_ERROR(ReadInt64(key, v, std::numeric_limits<int>::min(),
                                  std::numeric_limits<int>::max(), &i));
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

Status ReadHidden(const std::string& key, const json& v, std::vector<int>* out) {
  out->clear();
  if (v.is_number()) {
    out->emplace_back();
    return ReadInt(key, v, &out->back());
  }
  if (!v.is_array()) return TypeError(key, "a list of layer widths like [128, 64]", v);
  for (const auto& width : v) {
    int w;
    if (!ReadInt(key, width, &w).ok()) return TypeError(key, "a list of integers", v);
    out->push_back(w);
  }
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

struct Key {
  std::string name;
  std::function<Status(const std::string&, const json&, TrainConfig*)> set;
  std::function<json(const TrainConfig&)> get;
};

#define SWEEP_STRING(key, field)                                                   \
  Key{key, [](auto& k, auto& v, TrainConfig* c) { return ReadString(k, v, &c->field); }, \
      [](const TrainConfig& c) { return json(c.field); }}
#define SWEEP_INT(key, field)                                                   \
  Key{key, [](auto& k, auto& v, TrainConfig* c) { return ReadInt(k, v, &c->field); }, \
      [](const TrainConfig& c) { return json(c.field); }}
#define SWEEP_FLOAT(key, field)                                                   \
  Key{key, [](auto& k, auto& v, TrainConfig* c) { return ReadFloat(k, v, &c->field); }, \
      [](const TrainConfig& c) { return FloatToJson(c.field); }}
#define SWEEP_ENUM(key, field, parse)                                                   \
  Key{key, [](auto& k, auto& v, TrainConfig* c) { return ReadEnum(k, v, &parse, &c->field); }, \
      [](const TrainConfig& c) { return json(std::string(model::ToString(c.field))); }}

const std::vector<Key>& Keys() {
  static const std::vector<Key> kKeys = [] {
    std::vector<Key> keys = {
        SWEEP_STRING("dataset", data.dataset),
        SWEEP_STRING("test_dataset", data.test_dataset),
        SWEEP_FLOAT("validation_split", data.validation_split),
        Key{"hidden",
            [](auto& k, auto& v, TrainConfig* c) { return ReadHidden(k, v, &c->network.hidden); },
            [](const TrainConfig& c) { return json(c.network.hidden); }},
        SWEEP_ENUM("activation", network.activation, model::ParseActivation),
        SWEEP_ENUM("init", network.init, model::ParseInit),
        SWEEP_ENUM("loss", network.loss, model::ParseLoss),
        SWEEP_ENUM("optimizer", optimizer.kind, model::ParseOptimizer),
        SWEEP_FLOAT("learning_rate", optimizer.learning_rate),
        SWEEP_FLOAT("momentum", optimizer.momentum),
        Key{"nesterov",
            [](auto& k, auto& v, TrainConfig* c) { return ReadBool(k, v, &c->optimizer.nesterov); },
            [](const TrainConfig& c) { return json(c.optimizer.nesterov); }},
        SWEEP_FLOAT("beta1", optimizer.beta1),
        SWEEP_FLOAT("beta2", optimizer.beta2),
        SWEEP_FLOAT("epsilon", optimizer.epsilon),
        SWEEP_FLOAT("weight_decay", optimizer.weight_decay),
        SWEEP_ENUM("lr_schedule", schedule.kind, model::ParseLrSchedule),
        SWEEP_INT("lr_step_epochs", schedule.step_epochs),
        SWEEP_FLOAT("lr_gamma", schedule.gamma),
        SWEEP_FLOAT("lr_min", schedule.min_lr),
        SWEEP_INT("early_stopping_patience", early_stopping.patience),
        SWEEP_STRING("early_stopping_metric", early_stopping.metric),
        SWEEP_FLOAT("early_stopping_min_delta", early_stopping.min_delta),
        SWEEP_INT("batch_size", batch_size),
        SWEEP_INT("epochs", epochs),
        Key{"seed",
            [](auto& k, auto& v, TrainConfig* c) {
              if (v.is_number_unsigned()) {  // the full uint64 range
                c->seed = v.template get<uint64_t>();
                return Status::Ok();
              }
              int64_t s;
              SWEEP_RETURN_IF_ERROR(ReadInt64(k, v, 0, std::numeric_limits<int64_t>::max(), &s));
              c->seed = static_cast<uint64_t>(s);
              return Status::Ok();
            },
            [](const TrainConfig& c) { return json(c.seed); }},
        SWEEP_INT("threads", threads),
        SWEEP_ENUM("device", device, model::ParseDevice),
    };
    std::sort(keys.begin(), keys.end(), [](const Key& a, const Key& b) { return a.name < b.name; });
    return keys;
  }();
  return kKeys;
}

#undef SWEEP_STRING
#undef SWEEP_INT
#undef SWEEP_FLOAT
#undef SWEEP_ENUM

}  // namespace

const std::vector<std::string>& RowKeys() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> names;
    for (const Key& k : Keys()) names.push_back(k.name);
    return names;
  }();
  return kNames;
}

StatusOr<model::TrainConfig> ConfigFromRow(const nlohmann::json& row) {
  if (!row.is_object()) {
    return Status::InvalidArgument("expected a mapping of row keys, got " + row.dump());
  }
  TrainConfig config;
  for (const auto& [name, value] : row.items()) {
    auto it = std::lower_bound(Keys().begin(), Keys().end(), name,
                               [](const Key& k, const std::string& n) { return k.name < n; });
    if (it == Keys().end() || it->name != name) {
      return Status::InvalidArgument(name + ": unknown key" + DidYouMean(name, RowKeys()));
    }
    SWEEP_RETURN_IF_ERROR(it->set(name, value, &config));
  }
  if (!row.contains("dataset")) return Status::InvalidArgument("dataset: required key missing");
  SWEEP_RETURN_IF_ERROR(model::Validate(config));
  return config;
}

nlohmann::json ConfigToRow(const model::TrainConfig& config) {
  json row = json::object();
  for (const Key& k : Keys()) row[k.name] = k.get(config);
  return row;
}

std::vector<std::string> ValidateRows(const std::vector<nlohmann::json>& rows) {
  std::vector<std::string> problems;
  for (size_t i = 0; i < rows.size(); ++i) {
    auto config = ConfigFromRow(rows[i]);
    if (!config.ok()) problems.push_back("row " + std::to_string(i) + ": " + config.status().message());
  }
  return problems;
}

}  // namespace sweep
