#include "worker/publish.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <system_error>
#include <thread>

#include "base/file.h"
#include "base/strings.h"
#include "storage/layout.h"

namespace sweep::worker {
namespace {

void PutMetric(std::map<std::string, double>& m, const std::string& name, double v) {
  if (std::isfinite(v)) m[name] = v;
}

void PutJson(nlohmann::json& j, const char* name, double v) {
  if (std::isfinite(v)) j[name] = v;
}

// A value the trainer holds as a float, as the double its shortest float text denotes: a rate
// of 0.003 is written 0.003, not 0.003000000026077032.
double AsFloatText(double v) {
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, static_cast<float>(v));
  double out = v;
  if (ec == std::errc()) std::from_chars(buf, end, out);
  return out;
}

Status PublishModel(storage::Store& store, int index, const storage::ModelFile& file) {
  const std::string key = storage::ModelPath("", index);
  const std::string local = store.LocalPath(key);
  if (!local.empty()) return storage::WriteModelFile(local, file);
  namespace fs = std::filesystem;
  const std::string tmp = (fs::temp_directory_path() / ("sweep-model-" + std::to_string(getpid()) +
                                                        "-" + std::to_string(index) + ".h5"))
                              .string();
  Status s = storage::WriteModelFile(tmp, file);
  if (s.ok()) s = store.PutFile(key, tmp);
  std::error_code ec;
  fs::remove(tmp, ec);
  return s;
}

}  // namespace

void RemoveStaleRowTemps(storage::Store& store, int index) {
  for (const std::string& key :
       {storage::ModelPath("", index), storage::ResultPath("", index),
        storage::CheckpointPath("", index), storage::BandPath("", index, 1)}) {
    const std::string local = store.LocalPath(key);
    const size_t slash = local.find_last_of('/');
    if (slash != std::string::npos) RemoveStaleTemps(local.substr(0, slash));
  }
}

storage::ModelFile ToModelFile(const model::Mlp& mlp) {
  storage::ModelFile file;
  const auto& layers = mlp.layers();
  for (size_t k = 0; k < layers.size(); ++k) {
    const model::DenseLayer& layer = layers[k];
    storage::DenseWeights w;
    w.name = k == 0 ? "dense" : "dense_" + std::to_string(k);
    w.units = static_cast<int>(layer.w.rows());
    w.inputs = static_cast<int>(layer.w.cols());
    // Column-major units x inputs has exactly the bytes of row-major inputs x units.
    w.kernel.resize(static_cast<size_t>(layer.w.size()));
    std::memcpy(w.kernel.data(), layer.w.data(), w.kernel.size() * sizeof(float));
    w.bias.assign(layer.b.data(), layer.b.data() + layer.b.size());
    w.activation = std::string(mlp.ActivationName(k));
    file.layers.push_back(std::move(w));
  }
  return file;
}

void DescribeInputs(const Dataset& data, storage::ModelFile* file, storage::RunResult* result) {
  file->sample_shape = data.sample_shape;
  file->class_names = data.class_names;
  file->preprocessing = data.preprocessing;
  result->input_shape = data.sample_shape.empty() ? std::vector<int>{data.cols} : data.sample_shape;
  result->class_names = data.class_names;
}

void FillMetrics(const model::TrainReport& report, const model::Metrics& test,
                 storage::RunResult* result) {
  auto& m = result->metrics;
  PutMetric(m, "train_loss", report.train.loss);
  PutMetric(m, "train_accuracy", report.train.accuracy);
  PutMetric(m, "val_loss", report.val.loss);
  PutMetric(m, "val_accuracy", report.val.accuracy);
  PutMetric(m, "test_loss", test.loss);
  PutMetric(m, "test_accuracy", test.accuracy);
  result->history = nlohmann::json::array();
  result->history.get_ref<nlohmann::json::array_t&>().reserve(report.history.size());
  for (const auto& e : report.history) {
    // Assigned key by key: nlohmann's initializer lists cost ~0.3 us more per epoch, and a
    // short row may have thousands of epochs.
    nlohmann::json& h = result->history.emplace_back(nlohmann::json::object());
    h["epoch"] = e.epoch;
    h["seconds"] = e.seconds;
    h["learning_rate"] = AsFloatText(e.learning_rate);
    PutJson(h, "train_loss", e.train.loss);
    PutJson(h, "train_accuracy", e.train.accuracy);
    PutJson(h, "val_loss", e.val.loss);
    PutJson(h, "val_accuracy", e.val.accuracy);
  }
  result->epochs = static_cast<int>(report.history.size());
  result->best_epoch = report.best_epoch;
  result->stopped_early = report.stopped_early;
  result->seconds = report.seconds;
}

namespace {

// "2026-12-04T21:30:05.123Z": result.json's finished_at (what `--policy latest` orders by).
std::string UtcNowMillis() {
  const auto now = std::chrono::system_clock::now();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch());
  return FormatUtc(std::chrono::system_clock::to_time_t(now), "%Y-%m-%dT%H:%M:%S") +
         fmt::format(".{:03d}Z", static_cast<int>(ms.count() % 1000));
}

}  // namespace

Status Publish(storage::Store& store, int index, const model::Mlp& mlp, const Dataset& data,
               storage::RunResult* result) {
  RemoveStaleRowTemps(store, index);
  storage::ModelFile file = ToModelFile(mlp);
  DescribeInputs(data, &file, result);
  file.attributes["sweep_params"] = result->params.dump();
  file.attributes["sweep_metrics"] = nlohmann::json(result->metrics).dump();
  file.attributes["sweep_index"] = std::to_string(index);
  file.attributes["sweep_version"] = result->version;
  // Each fsync waits for a journal commit (0.5-8 ms on a busy disk): overlapping the model's
  // two with the JSON work and result.json's own took a W2 worker from 52 to 40 ms there.
  Status model_status;
  std::jthread model_writer;  // joined on every way out, exceptions included
  try {
    model_writer = std::jthread([&] { model_status = PublishModel(store, index, file); });
  } catch (const std::system_error&) {  // no thread to be had (a pids limit): one after the other
    model_status = PublishModel(store, index, file);
  }
  result->model = storage::ModelPathInIndex();
  result->finished_at = UtcNowMillis();
  const std::string key = storage::ResultPath("", index);
  const std::string local = store.LocalPath(key);
  const std::string text = ToJsonText(*result);
  StatusOr<std::string> temp =
      local.empty() ? StatusOr<std::string>(std::string()) : WriteSyncedTemp(local, text);
  if (model_writer.joinable()) model_writer.join();
  if (!model_status.ok() || !temp.ok()) {
    if (temp.ok() && !temp->empty()) ::unlink(temp->c_str());
    return model_status.ok() ? temp.status() : model_status;
  }
  return local.empty() ? store.Put(key, text) : RenameSynced(*temp, local);
}

Status PublishResultOnly(storage::Store& store, int index, const Dataset& data,
                         storage::RunResult* result) {
  RemoveStaleRowTemps(store, index);
  storage::ModelFile unused;
  DescribeInputs(data, &unused, result);
  result->model.clear();
  result->finished_at = UtcNowMillis();
  SWEEP_RETURN_IF_ERROR(store.Put(storage::ResultPath("", index), ToJsonText(*result)));
  const std::string stale = store.LocalPath(storage::ModelPath("", index));
  if (!stale.empty() && ::unlink(stale.c_str()) != 0 && errno != ENOENT) {
    return FromErrno(errno, stale);
  }
  return Status::Ok();
}

StatusOr<std::optional<storage::RunResult>> ReadFinished(storage::Store& store,
                                                         const std::string& key) {
  StatusOr<std::string> text = store.Get(key);
  if (text.status().code() == StatusCode::kNotFound) return std::optional<storage::RunResult>();
  if (!text.ok()) return text.status();
  StatusOr<storage::RunResult> r = storage::ParseResult(*text);
  if (!r.ok() || r->status == storage::ResultStatus::kFailed) {
    return std::optional<storage::RunResult>();
  }
  return std::optional<storage::RunResult>(std::move(r).value());
}

}  // namespace sweep::worker
