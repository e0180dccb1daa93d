#include "worker/vertex.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>
#include <sstream>

#include "base/file.h"
#include "base/log.h"
#include "storage/layout.h"

namespace sweep::worker {
namespace {

constexpr char kDefaultMetricFile[] = "/tmp/hypertune/output.metrics";
constexpr size_t kKeptReports = 100;  // hypertune.py's metric queue

// Python's str(float): the shortest text that reads back the same, with ".0" on integers.
std::string PythonFloat(double v) {
  std::string s = fmt::format("{}", v);
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
  return s;
}

std::string JsonString(const std::string& s) { return nlohmann::json(s).dump(); }

double Now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

VertexTraining VertexFromEnv(const EnvFn& env) {
  VertexTraining v;
  v.model_dir = env("AIP_MODEL_DIR").value_or("");
  v.checkpoint_dir = env("AIP_CHECKPOINT_DIR").value_or("");
  v.trial_id = env("CLOUD_ML_TRIAL_ID").value_or("");
  v.metric_file = env("CLOUD_ML_HP_METRIC_FILE").value_or("");
  if (v.metric_file.empty()) v.metric_file = kDefaultMetricFile;
  v.metric = env("SWEEP_HYPERTUNE_METRIC").value_or("");
  return v;
}

StatusOr<std::vector<std::string>> TrialOverrides(const std::vector<std::string>& words) {
  std::vector<std::string> out;
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (w.size() <= 2 || w.rfind("--", 0) != 0) {
      return Status::InvalidArgument("trial argument '" + w + "': expected --name=value");
    }
    if (w.find('=') != std::string::npos) {
      out.push_back(w.substr(2));
    } else if (i + 1 < words.size() && words[i + 1].rfind("--", 0) != 0) {
      out.push_back(w.substr(2) + "=" + words[++i]);
    } else {
      return Status::InvalidArgument("trial argument '" + w + "' has no value");
    }
  }
  return out;
}

StatusOr<std::pair<std::string, double>> HypertuneMetric(const std::map<std::string, double>& m,
                                                         const std::string& name) {
  if (!name.empty()) {
    auto it = m.find(name);
    if (it == m.end()) {
      return Status::InvalidArgument("SWEEP_HYPERTUNE_METRIC=" + name +
                                     ": result.json has no such metric");
    }
    return std::pair<std::string, double>(*it);
  }
  for (const char* n : {"val_accuracy", "train_accuracy", "val_loss", "train_loss"}) {
    if (auto it = m.find(n); it != m.end()) return std::pair<std::string, double>(*it);
  }
  return Status::InvalidArgument("no metric to report to the tuning service");
}

std::optional<std::pair<std::string, double>> EpochMetric(const model::EpochRecord& e,
                                                          const std::string& name) {
  std::map<std::string, double> m;
  for (const auto& [key, value] : {std::pair<const char*, double>{"train_loss", e.train.loss},
                                   {"train_accuracy", e.train.accuracy},
                                   {"val_loss", e.val.loss},
                                   {"val_accuracy", e.val.accuracy}}) {
    if (std::isfinite(value)) m[key] = value;
  }
  auto metric = HypertuneMetric(m, name);
  if (!metric.ok()) return std::nullopt;
  return *metric;
}

void ReportTrialEpoch(const VertexTraining& v, const model::EpochRecord& e) {
  if (v.trial_id.empty()) return;
  auto metric = EpochMetric(e, v.metric);
  if (!metric) return;
  Status s = ReportHypertuneMetric(
      v.metric_file, HypertuneLine(metric->first, metric->second, v.trial_id, e.epoch, Now()));
  if (!s.ok()) log::Warn(s.message());
}

std::string HypertuneLine(const std::string& tag, double value, const std::string& trial,
                          int64_t global_step, double timestamp) {
  std::map<std::string, std::string> fields = {
      {"checkpoint_path", JsonString("")},
      {"global_step", JsonString(std::to_string(global_step))},
      {"timestamp", PythonFloat(timestamp)},
      {"trial", JsonString(trial)}};
  fields[tag] = JsonString(PythonFloat(value));
  std::string line = "{";
  for (const auto& [k, v] : fields) {
    line += (line.size() > 1 ? ", " : "") + JsonString(k) + ": " + v;
  }
  return line + "}";
}

Status ReportHypertuneMetric(const std::string& path, const std::string& line) {
  std::string old;
  std::vector<std::string> lines;
  if (ReadFile(path, &old).ok()) {
    std::istringstream in(old);
    for (std::string l; std::getline(in, l);) {
      if (!l.empty()) lines.push_back(l);
    }
  }
  lines.push_back(line);
  const size_t skip = lines.size() > kKeptReports ? lines.size() - kKeptReports : 0;
  std::string text;
  for (size_t i = skip; i < lines.size(); ++i) text += lines[i] + "\n";
  const size_t slash = path.rfind('/');
  if (slash != std::string::npos && slash > 0) {
    SWEEP_RETURN_IF_ERROR(CreateDirectories(path.substr(0, slash)));
  }
  return WriteFileAtomic(path, text).WithContext("hypertune metric file");
}

StatusOr<VertexStores> OpenVertexStores(const VertexTraining& v) {
  VertexStores stores;
  if (!v.model_dir.empty()) {
    SWEEP_ASSIGN_OR_RETURN(stores.model_dir, storage::OpenStore(v.model_dir));
    SWEEP_RETURN_IF_ERROR(stores.model_dir->CheckWritable().WithContext("AIP_MODEL_DIR"));
  }
  if (!v.checkpoint_dir.empty()) {
    SWEEP_ASSIGN_OR_RETURN(stores.checkpoints, storage::OpenStore(v.checkpoint_dir));
    SWEEP_RETURN_IF_ERROR(stores.checkpoints->CheckWritable().WithContext("AIP_CHECKPOINT_DIR"));
  }
  return stores;
}

Status FinishVertexRow(const VertexTraining& v, const VertexStores& stores, storage::Store& results,
                       const storage::RunResult& result) {
  if (stores.model_dir != nullptr) {
    SWEEP_ASSIGN_OR_RETURN(std::string model, results.Get(storage::ModelPath("", result.index)));
    SWEEP_RETURN_IF_ERROR(stores.model_dir->Put(storage::ExportModelKey(), model));
    storage::RunResult exported = result;
    exported.model = storage::ExportModelKey();
    SWEEP_RETURN_IF_ERROR(
        stores.model_dir->Put(storage::ExportResultKey(), storage::ToJsonText(exported)));
  }
  if (v.trial_id.empty()) return Status::Ok();
  SWEEP_ASSIGN_OR_RETURN(auto metric, HypertuneMetric(result.metrics, v.metric));
  const double now =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  return ReportHypertuneMetric(
      v.metric_file, HypertuneLine(metric.first, metric.second, v.trial_id, result.epochs, now));
}

}  // namespace sweep::worker
