// result.json writer and reader. The reader never throws: collect reads files that a killed
// worker or another program may have left, and must report, not crash.
#include "storage/result.h"

#include <cmath>
#include <limits>
#include <type_traits>

namespace sweep::storage {
namespace {

using nlohmann::json;

Status Corrupt(const std::string& key, const std::string& problem) {
  return Status::Corruption(key + ": " + problem);
}

// Optional typed fields: absent keeps the default; present with the wrong type is Corruption.
Status ReadInt(const json& j, const char* key, int* out) {
  if (!j.contains(key)) return Status::Ok();
  const json& v = j[key];
  if (!v.is_number_integer() || v.get<int64_t>() < std::numeric_limits<int>::min() ||
      v.get<int64_t>() > std::numeric_limits<int>::max()) {
    return Corrupt(key, "expected an integer, got " + v.dump());
  }
  *out = v.get<int>();
  return Status::Ok();
}

Status ReadInt64(const json& j, const char* key, int64_t* out) {
  if (!j.contains(key)) return Status::Ok();
  if (!j[key].is_number_integer()) return Corrupt(key, "expected an integer, got " + j[key].dump());
  *out = j[key].get<int64_t>();
  return Status::Ok();
}

Status ReadDouble(const json& j, const char* key, double* out) {
  if (!j.contains(key) || j[key].is_null()) return Status::Ok();
  if (!j[key].is_number()) return Corrupt(key, "expected a number, got " + j[key].dump());
  *out = j[key].get<double>();
  return Status::Ok();
}

Status ReadString(const json& j, const char* key, std::string* out) {
  if (!j.contains(key)) return Status::Ok();
  if (!j[key].is_string()) return Corrupt(key, "expected a string, got " + j[key].dump());
  *out = j[key].get<std::string>();
  return Status::Ok();
}

Status ReadBool(const json& j, const char* key, bool* out) {
  if (!j.contains(key)) return Status::Ok();
  if (!j[key].is_boolean()) return Corrupt(key, "expected true or false, got " + j[key].dump());
  *out = j[key].get<bool>();
  return Status::Ok();
}

// An optional array of T (int or string); absent keeps `out` empty.
template <typename T>
Status ReadArray(const json& j, const char* key, std::vector<T>* out) {
  if (!j.contains(key)) return Status::Ok();
  const json& v = j[key];
  bool ok = v.is_array();
  for (size_t i = 0; ok && i < v.size(); ++i) {
    if constexpr (std::is_same_v<T, int>) {
      ok = v[i].is_number_integer() && v[i].get<int64_t>() >= 0 &&
           v[i].get<int64_t>() <= std::numeric_limits<int>::max();
    } else {
      ok = v[i].is_string();
    }
  }
  if (!ok) {
    return Corrupt(key, std::string("expected an array of ") +
                            (std::is_same_v<T, int> ? "integers >= 0" : "strings") + ", got " +
                            v.dump());
  }
  *out = v.get<std::vector<T>>();
  return Status::Ok();
}

Status ReadHeader(const json& j, RunResult* r) {
  if (!j.contains("format_version"))
    return Corrupt("format_version", "missing (not a result.json)");
  int version = 0;
  SWEEP_RETURN_IF_ERROR(ReadInt(j, "format_version", &version));
  if (version > kResultFormatVersion) {
    return Corrupt("format_version", std::to_string(version) + " is newer than this program's " +
                                         std::to_string(kResultFormatVersion) + "; upgrade sweep");
  }
  if (version < 1)
    return Corrupt("format_version", "expected >= 1, got " + std::to_string(version));
  if (!j.contains("index")) return Corrupt("index", "missing");
  SWEEP_RETURN_IF_ERROR(ReadInt(j, "index", &r->index));
  if (r->index < 0) return Corrupt("index", "expected >= 0, got " + std::to_string(r->index));
  if (!j.contains("status")) return Corrupt("status", "missing");
  for (ResultStatus s :
       {ResultStatus::kSucceeded, ResultStatus::kFailed, ResultStatus::kDiverged}) {
    if (j["status"] == ResultStatusName(s) && (version >= 2 || s != ResultStatus::kDiverged)) {
      r->status = s;
      return Status::Ok();
    }
  }
  return Corrupt("status", std::string("expected \"succeeded\", \"failed\"") +
                               (version >= 2 ? " or \"diverged\"" : " (format 1)") + ", got " +
                               j["status"].dump());
}

Status ReadBody(const json& j, RunResult* r) {
  if (j.contains("params")) {
    if (!j["params"].is_object()) return Corrupt("params", "expected an object");
    r->params = j["params"];
  }
  if (j.contains("metrics")) {
    if (!j["metrics"].is_object()) return Corrupt("metrics", "expected an object");
    for (const auto& [name, v] : j["metrics"].items()) {
      if (v.is_null()) continue;  // a NaN metric written as null by another writer
      if (!v.is_number()) return Corrupt("metrics." + name, "expected a number, got " + v.dump());
      r->metrics[name] = v.get<double>();
    }
  }
  if (j.contains("history")) {
    if (!j["history"].is_array()) return Corrupt("history", "expected an array");
    r->history = j["history"];
  }
  SWEEP_RETURN_IF_ERROR(ReadInt(j, "epochs", &r->epochs));
  SWEEP_RETURN_IF_ERROR(ReadInt(j, "best_epoch", &r->best_epoch));
  SWEEP_RETURN_IF_ERROR(ReadBool(j, "stopped_early", &r->stopped_early));
  SWEEP_RETURN_IF_ERROR(ReadDouble(j, "seconds", &r->seconds));
  SWEEP_RETURN_IF_ERROR(ReadInt(j, "attempt", &r->attempt));
  SWEEP_RETURN_IF_ERROR(ReadString(j, "host", &r->host));
  SWEEP_RETURN_IF_ERROR(ReadString(j, "finished_at", &r->finished_at));
  SWEEP_RETURN_IF_ERROR(ReadString(j, "version", &r->version));
  SWEEP_RETURN_IF_ERROR(ReadString(j, "model", &r->model));
  SWEEP_RETURN_IF_ERROR(ReadArray(j, "input_shape", &r->input_shape));
  SWEEP_RETURN_IF_ERROR(ReadArray(j, "class_names", &r->class_names));
  if (j.contains("resumes")) {
    if (!j["resumes"].is_array()) return Corrupt("resumes", "expected an array");
    r->resumes = j["resumes"];
  }
  SWEEP_RETURN_IF_ERROR(ReadString(j, "error", &r->error));
  SWEEP_RETURN_IF_ERROR(ReadInt(j, "exit_code", &r->exit_code));
  SWEEP_RETURN_IF_ERROR(ReadInt(j, "diverged_epoch", &r->diverged_epoch));
  SWEEP_RETURN_IF_ERROR(ReadInt64(j, "diverged_step", &r->diverged_step));
  return Status::Ok();
}

}  // namespace

std::string_view ResultStatusName(ResultStatus status) {
  switch (status) {
    case ResultStatus::kSucceeded:
      return "succeeded";
    case ResultStatus::kFailed:
      return "failed";
    case ResultStatus::kDiverged:
      return "diverged";
  }
  return "failed";
}

nlohmann::json ToJson(const RunResult& r) {
  json j = json::object();
  // The oldest version that holds the file: readers of version 1 still read all but diverged.
  j["format_version"] = r.status == ResultStatus::kDiverged ? 2 : 1;
  j["index"] = r.index;
  j["status"] = ResultStatusName(r.status);
  j["params"] = r.params;
  json metrics = json::object();
  for (const auto& [name, value] : r.metrics) {
    if (std::isfinite(value)) metrics[name] = value;  // NaN/inf are omitted: JSON has no NaN
  }
  j["metrics"] = std::move(metrics);
  j["history"] = r.history;  // nlohmann writes any NaN inside as null
  j["epochs"] = r.epochs;
  j["best_epoch"] = r.best_epoch;
  j["stopped_early"] = r.stopped_early;
  j["seconds"] = std::isfinite(r.seconds) ? r.seconds : 0.0;
  j["attempt"] = r.attempt;
  j["host"] = r.host;
  if (!r.finished_at.empty()) j["finished_at"] = r.finished_at;
  j["version"] = r.version;
  if (!r.model.empty()) j["model"] = r.model;
  if (!r.input_shape.empty()) j["input_shape"] = r.input_shape;
  if (!r.class_names.empty()) j["class_names"] = r.class_names;
  if (!r.resumes.empty()) j["resumes"] = r.resumes;
  if (r.status == ResultStatus::kFailed) {
    j["error"] = r.error;
    j["exit_code"] = r.exit_code;
  }
  if (r.status == ResultStatus::kDiverged) {
    j["error"] = r.error;
    j["diverged_epoch"] = r.diverged_epoch;
    j["diverged_step"] = r.diverged_step;
  }
  return j;
}

std::string ToJsonText(const RunResult& r) {
  // Indented for people, except the history: one line per epoch (a short row may have
  // thousands; fully indented they made result.json ~9x longer and slower to write and read).
  // Replace, not throw, on invalid UTF-8 (an error message quoting binary data).
  constexpr auto kReplace = json::error_handler_t::replace;
  json j = ToJson(r);
  json history = std::move(j["history"]);
  j["history"] = json::array();
  std::string text = j.dump(2, ' ', false, kReplace);
  if (history.is_array() && !history.empty()) {
    // Keys are sorted and strings escaped: this is the top level's empty "history" and no other.
    const std::string empty = "\n  \"history\": []";
    std::string lines = "\n  \"history\": [";
    for (size_t i = 0; i < history.size(); ++i) {
      lines += i == 0 ? "\n    " : ",\n    ";
      lines += history[i].dump(-1, ' ', false, kReplace);
    }
    lines += "\n  ]";
    text.replace(text.find(empty), empty.size(), lines);
  }
  return text + "\n";
}

StatusOr<RunResult> ParseResult(std::string_view text) {
  json j = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    return Status::Corruption(text.empty() ? "empty file (half-written?)"
                                           : "not valid JSON (half-written or corrupt)");
  }
  if (!j.is_object())
    return Status::Corruption("expected a JSON object, got " + std::string(j.type_name()));
  RunResult r;
  SWEEP_RETURN_IF_ERROR(ReadHeader(j, &r));
  SWEEP_RETURN_IF_ERROR(ReadBody(j, &r));
  return r;
}

}  // namespace sweep::storage
