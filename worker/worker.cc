#include "worker/worker.h"

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <csignal>
#include <iterator>

#include "base/log.h"
#include "data/class_names.h"
#include "data/dataset_reader.h"
#include "model/train.h"
#include "storage/layout.h"
#include "storage/store.h"
#include "sweep/search/tpe_waves.h"
#include "sweep/spec/row_config.h"
#include "sweep/spec/spec.h"
#include "worker/checkpoint.h"
#include "worker/publish.h"
#include "worker/rung.h"
#include "worker/spot_notice.h"

namespace sweep::worker {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

std::string HostName() {
  char buf[256] = {0};
  if (gethostname(buf, sizeof(buf) - 1) != 0) return "unknown";
  return buf;
}

// The spec (local, s3:// or gs://), expanded, overrides applied, and row `index` checked.
StatusOr<model::TrainConfig> LoadRow(const WorkerOptions& options, std::string* base_dir,
                                     std::string* row_hash) {
  SWEEP_ASSIGN_OR_RETURN(Spec spec, LoadSpec(options.params, options.overrides));
  *base_dir = spec.base_dir;
  const int row = options.row >= 0 ? options.row : options.index;
  int rows = static_cast<int>(spec.rows.size());
  if (row >= rows) {
    return Status::InvalidArgument(fmt::format("index {} is past the end: {} has {} rows (0..{})",
                                               row, options.params, rows, rows - 1));
  }
  if (spec.bayes && row >= spec.bayes->wave_size) {
    // A TPE wave's row: the proposal in storage, computed first if nobody has yet.
    SWEEP_ASSIGN_OR_RETURN(auto store, storage::OpenStore(options.storage));
    auto proposed = search::BayesRow(*store, spec, row);
    if (!proposed.ok()) return proposed.status().WithContext(fmt::format("row {}: wave", row));
    spec.rows[row] = std::move(proposed).value();
  }
  *row_hash = RowHash(spec.rows[row]);
  auto config = ConfigFromRow(spec.rows[row]);
  if (!config.ok())
    return config.status().WithContext(fmt::format("{}: row {}", options.params, row));
  return config;
}

// skip_rows must name CSV inputs: checked for both before either is fetched or read.
Status CheckReadOptions(const model::TrainConfig& config, const std::string& base_dir) {
  const data::ReadOptions options{config.data.skip_rows};
  SWEEP_RETURN_IF_ERROR(
      data::CheckReadOptions(ResolveDataPath(config.data.dataset, base_dir), options)
          .WithContext("dataset"));
  if (config.data.test_dataset.empty()) return Status::Ok();
  return data::CheckReadOptions(ResolveDataPath(config.data.test_dataset, base_dir), options)
      .WithContext("test_dataset");
}

StatusOr<Dataset> LoadData(const std::string& path, const std::string& base_dir,
                           const model::TrainConfig& config) {
  std::string resolved = ResolveDataPath(path, base_dir);
  SWEEP_ASSIGN_OR_RETURN(std::string local, storage::FetchInput(resolved));
  auto kind = config.network.loss == model::Loss::kMse ? data::TargetKind::kRegression
                                                       : data::TargetKind::kClassLabels;
  return data::ReadDataset(local, kind, data::ReadOptions{config.data.skip_rows});
}

// The optional test set, checked against the training set's shape and classes.
StatusOr<std::optional<Dataset>> LoadTestData(const model::TrainConfig& config,
                                              const std::string& base_dir, const Dataset& train,
                                              int index) {
  if (config.data.test_dataset.empty()) return std::optional<Dataset>();
  auto loaded = LoadData(config.data.test_dataset, base_dir, config);
  if (!loaded.ok()) return loaded.status().WithContext(fmt::format("row {}: test_dataset", index));
  Dataset test = std::move(loaded).value();
  if (test.cols != train.cols) {
    return Status::InvalidArgument(
        fmt::format("row {}: test_dataset {} has {} features, dataset {} has {}", index,
                    test.source, test.cols, train.source, train.cols));
  }
  if (train.num_classes > 0) {
    Status named = data::RemapClasses(&test, train.class_names);
    if (!named.ok()) return named.WithContext(fmt::format("row {}: test_dataset", index));
    if (test.num_classes > train.num_classes) {
      return Status::InvalidArgument(
          fmt::format("row {}: test_dataset {} has labels up to {} but dataset {} has {} classes",
                      index, test.source, test.num_classes - 1, train.source, train.num_classes));
    }
    test.num_classes = train.num_classes;
  }
  return std::optional<Dataset>(std::move(test));
}

void LogEpoch(const model::EpochRecord& e, int epochs) {
  fmt::memory_buffer line;  // on the stack: no allocation per epoch
  auto out = std::back_inserter(line);
  fmt::format_to(out, "epoch {}/{} loss={:.4f}", e.epoch, epochs, e.train.loss);
  if (std::isfinite(e.train.accuracy)) fmt::format_to(out, " accuracy={:.4f}", e.train.accuracy);
  if (std::isfinite(e.val.loss)) fmt::format_to(out, " val_loss={:.4f}", e.val.loss);
  if (std::isfinite(e.val.accuracy)) fmt::format_to(out, " val_accuracy={:.4f}", e.val.accuracy);
  fmt::format_to(out, " lr={:.3g} {:.2f}s", e.learning_rate, e.seconds);
  log::Progress({line.data(), line.size()});  // buffered: see base/log.h
}

storage::RunResult NewResult(const WorkerOptions& options, const model::TrainConfig& config) {
  storage::RunResult result;
  result.index = options.index;
  result.params = ConfigToRow(config);
  result.attempt = options.attempt;
  result.host = HostName();
  result.version = SWEEP_VERSION;
  return result;
}

// A non-finite loss: the row is finished, not failed. The same config diverges again, so the
// worker exits 0 (no engine retries it) after publishing result.json with status "diverged",
// the last finite epoch's metrics and no model.
Status PublishDiverged(storage::Store& store, const model::TrainReport& report,
                       const Dataset& train, Clock::time_point start, storage::RunResult* result) {
  const model::Divergence& d = *report.diverged;
  result->status = storage::ResultStatus::kDiverged;
  result->error = model::DescribeDivergence(d);
  result->diverged_epoch = d.epoch;
  result->diverged_step = d.step;
  FillMetrics(report, model::Metrics(), result);
  result->seconds = SecondsSince(start);
  SWEEP_RETURN_IF_ERROR(
      PublishResultOnly(store, result->index, train, result).WithContext("publish"));
  log::Warn(
      fmt::format("row {} {}; published result.json (status diverged, no model); rerun as "
                  "is, it diverges again (try a lower learning_rate)",
                  result->index, result->error));
  return Status::Ok();
}

// Trains from the checkpoint when there is one that fits; on SIGTERM (`stop`) saves one and
// returns Cancelled (exit 143); with `spot_notice_s`, also saves one when EC2 announces a Spot
// interruption. A Vertex AI tuning trial reports each epoch's metric.
StatusOr<model::TrainReport> TrainRow(const model::TrainConfig& config, const Dataset& train,
                                      const WorkerOptions& options, const std::atomic<bool>* stop,
                                      int pause_after_epoch, RowCheckpoint* checkpoint,
                                      model::Mlp* mlp) {
  std::atomic<bool> notice{false};
  std::optional<SpotNoticeWatcher> watcher;
  if (options.spot_notice_s > 0) watcher.emplace(options.spot_notice_s, &notice);
  model::TrainHooks hooks;
  hooks.stop = stop;
  hooks.checkpoint_now = &notice;
  hooks.on_epoch = [&](const model::EpochRecord& e) {
    LogEpoch(e, config.epochs);
    ReportTrialEpoch(options.vertex, e);
  };
  hooks.on_checkpoint = [&](const model::TrainState& s) { checkpoint->Save(s); };
  hooks.resume = checkpoint->state();
  hooks.pause_after_epoch = pause_after_epoch;
  auto report = model::Train(config, train, mlp, hooks);
  if (!report.ok() && report.status().code() == StatusCode::kCorruption && hooks.resume) {
    checkpoint->Discard(report.status().message());
    hooks.resume = nullptr;
    report = model::Train(config, train, mlp, hooks);
  }
  return report;
}

// A rung's child: which row it trains (options->index becomes the row), or nullopt when the
// rung's record of that row is already in storage.
StatusOr<std::optional<RungTask>> PrepareRung(WorkerOptions* options) {
  SWEEP_ASSIGN_OR_RETURN(Spec spec, LoadSpec(options->params, options->overrides));
  SWEEP_ASSIGN_OR_RETURN(auto store, storage::OpenStore(options->storage));
  SWEEP_ASSIGN_OR_RETURN(RungTask task,
                         ResolveRungTask(options->rung, spec, options->index, *store));
  options->index = task.row;
  SWEEP_ASSIGN_OR_RETURN(bool done, RungDone(task, *store));
  if (!done) return std::optional<RungTask>(task);
  log::Info(fmt::format("row {}: {} is done already", task.row, task.Describe()));
  return std::optional<RungTask>();
}

// The end of a rung before the last: the row's metrics at the band (the test set evaluated
// with the weights as they are) as its band record; the checkpoint stays for the next rung.
Status PublishPaused(const RungTask& task, storage::Store& store, const model::TrainReport& report,
                     const model::Mlp& mlp, const std::optional<Dataset>& test,
                     const model::TrainConfig& config, storage::RunResult* result) {
  model::Metrics test_metrics;
  if (test) test_metrics = model::Evaluate(mlp, *test, config.network.loss, config.threads);
  result->status = storage::ResultStatus::kSucceeded;
  FillMetrics(report, test_metrics, result);
  SWEEP_RETURN_IF_ERROR(PublishBand(task, store, *result).WithContext("publish band record"));
  std::string summary = fmt::format("row {} reached the end of {}", task.row, task.Describe());
  for (const auto& [name, value] : result->metrics)
    summary += fmt::format(" {}={:.4f}", name, value);
  log::Info(summary);
  return Status::Ok();
}

}  // namespace

Status RunWorker(const WorkerOptions& given, const std::atomic<bool>* stop) {
  auto start = Clock::now();
  WorkerOptions options = given;
  std::optional<RungTask> rung;
  if (!options.rung.empty()) {
    SWEEP_ASSIGN_OR_RETURN(rung, PrepareRung(&options));
    if (!rung) return Status::Ok();
  }
  // A file size limit (ulimit -f) would kill the process with SIGXFSZ mid-publish, leaving temp
  // files; ignored, the write fails with EFBIG and the normal path cleans up and exits 75.
  std::signal(SIGXFSZ, SIG_IGN);
  std::string base_dir, row_hash;
  SWEEP_ASSIGN_OR_RETURN(model::TrainConfig config, LoadRow(options, &base_dir, &row_hash));
  if (options.threads > 0) config.threads = options.threads;
  // A build question, asked before any data is fetched or read: a CPU build given device: cuda
  // fails here, not after a long download.
  SWEEP_RETURN_IF_ERROR(
      model::CheckDeviceBuilt(config.device).WithContext(fmt::format("row {}", options.index)));
  SWEEP_RETURN_IF_ERROR(
      CheckReadOptions(config, base_dir).WithContext(fmt::format("row {}", options.index)));

  SWEEP_ASSIGN_OR_RETURN(auto store, storage::OpenStore(options.storage));
  SWEEP_RETURN_IF_ERROR(store->CheckWritable().WithContext("storage " + options.storage));
  SWEEP_ASSIGN_OR_RETURN(VertexStores vertex, OpenVertexStores(options.vertex));

  auto loaded = LoadData(config.data.dataset, base_dir, config);
  if (!loaded.ok())
    return loaded.status().WithContext(fmt::format("row {}: dataset", options.index));
  Dataset train = std::move(loaded).value();
  // Labels 1..7 train an 8-unit output whose class 0 no row teaches: say so, and train anyway.
  if (std::string unseen = data::UnseenClassesWarning(train); !unseen.empty()) log::Warn(unseen);
  SWEEP_ASSIGN_OR_RETURN(std::optional<Dataset> test,
                         LoadTestData(config, base_dir, train, options.index));
  log::Info(fmt::format("row {} (attempt {}): {} rows x {} features{}; ready in {:.1f} ms",
                        options.index, options.attempt, train.rows, train.cols,
                        train.num_classes ? fmt::format(", {} classes", train.num_classes) : "",
                        SecondsSince(start) * 1e3));

  storage::Store* checkpoints = vertex.checkpoints ? vertex.checkpoints.get() : store.get();
  RowCheckpoint checkpoint(checkpoints, options.index, row_hash, options.attempt);
  SWEEP_RETURN_IF_ERROR(checkpoint.Load().WithContext(fmt::format("row {}", options.index)));
  model::Mlp mlp;
  const int pause = rung && !rung->last ? rung->epochs : 0;
  auto report = TrainRow(config, train, options, stop, pause, &checkpoint, &mlp);
  if (!report.ok()) return report.status().WithContext(fmt::format("row {}: train", options.index));
  storage::RunResult result = NewResult(options, config);
  result.resumes = checkpoint.resumes();
  if (report->paused) {
    result.seconds = SecondsSince(start);
    return PublishPaused(*rung, *store, *report, mlp, test, config, &result);
  }
  if (report->diverged) {
    SWEEP_RETURN_IF_ERROR(PublishDiverged(*store, *report, train, start, &result));
    if (pause > 0) {
      SWEEP_RETURN_IF_ERROR(PublishBand(*rung, *store, result));
    }
    if (!config.checkpoint.keep) checkpoint.Remove();
    return Status::Ok();
  }

  model::Metrics test_metrics;
  if (test) test_metrics = model::Evaluate(mlp, *test, config.network.loss, config.threads);
  result.status = storage::ResultStatus::kSucceeded;
  FillMetrics(*report, test_metrics, &result);
  result.seconds = SecondsSince(start);
  SWEEP_RETURN_IF_ERROR(Publish(*store, options.index, mlp, train, &result).WithContext("publish"));
  SWEEP_RETURN_IF_ERROR(
      FinishVertexRow(options.vertex, vertex, *store, result).WithContext("Vertex AI"));
  if (!config.checkpoint.keep) checkpoint.Remove();
  std::string summary = fmt::format("row {} succeeded in {:.2f}s", options.index, result.seconds);
  for (const auto& [name, value] : result.metrics)
    summary += fmt::format(" {}={:.4f}", name, value);
  log::Info(summary);
  return Status::Ok();
}

}  // namespace sweep::worker
