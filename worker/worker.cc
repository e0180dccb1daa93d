#include "worker/worker.h"

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <iterator>

#include "base/check.h"
#include "base/exit_code.h"
#include "base/log.h"
#include "model/train.h"
#include "storage/layout.h"
#include "storage/store.h"
#include "sweep/search/halving.h"
#include "sweep/search/tpe_waves.h"
#include "sweep/spec/row_config.h"
#include "sweep/spec/spec.h"
#include "worker/checkpoint.h"
#include "worker/publish.h"
#include "worker/rung.h"
#include "worker/session.h"
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

// What a slot trains: the row (its config checked, its hash for the checkpoint) and, for a
// rung's child, the rung task.
struct RowPlan {
  model::TrainConfig config;
  std::string row_hash;
  std::optional<RungTask> rung;
};

// The spec row `row` as trained: a TPE wave's row is the proposal in storage, computed first if
// nobody has yet.
StatusOr<nlohmann::json> SpecRow(Session& session, const WorkerOptions& options, int row) {
  const Spec& spec = session.spec();
  const int rows = static_cast<int>(spec.rows.size());
  if (row >= rows) {
    return Status::InvalidArgument(fmt::format("index {} is past the end: {} has {} rows (0..{})",
                                               row, options.params, rows, rows - 1));
  }
  if (!spec.bayes || row < spec.bayes->wave_size) return spec.rows[row];
  auto proposed = search::BayesRow(session.store(), spec, row);
  if (!proposed.ok()) return proposed.status().WithContext(fmt::format("row {}: wave", row));
  return proposed;
}

// The row of `options` (a rung's child: options->index becomes the row), checked before any
// data is fetched or read; nullopt when a rung's record of that row is already in storage.
StatusOr<std::optional<RowPlan>> PlanRow(Session& session, WorkerOptions* options) {
  RowPlan plan;
  if (!options->rung.empty()) {
    SWEEP_ASSIGN_OR_RETURN(RungTask task, ResolveRungTask(options->rung, session.spec(),
                                                          options->index, session.store()));
    options->index = task.row;
    SWEEP_ASSIGN_OR_RETURN(bool done, RungDone(task, session.store()));
    if (done) {
      log::Info(fmt::format("row {}: {} is done already", task.row, task.Describe()));
      return std::optional<RowPlan>();
    }
    plan.rung = task;
  }
  const int row = options->row >= 0 ? options->row : options->index;
  SWEEP_ASSIGN_OR_RETURN(nlohmann::json values, SpecRow(session, *options, row));
  plan.row_hash = RowHash(values);
  auto config = ConfigFromRow(values);
  if (!config.ok())
    return config.status().WithContext(fmt::format("{}: row {}", options->params, row));
  plan.config = std::move(config).value();
  if (options->threads > 0) plan.config.threads = options->threads;
  // A build question, asked before any data is fetched or read: a CPU build given device: cuda
  // fails here, not after a long download.
  SWEEP_RETURN_IF_ERROR(model::CheckDeviceBuilt(plan.config.device)
                            .WithContext(fmt::format("row {}", options->index)));
  SWEEP_RETURN_IF_ERROR(CheckReadOptions(plan.config, session.spec().base_dir)
                            .WithContext(fmt::format("row {}", options->index)));
  return std::optional<RowPlan>(std::move(plan));
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

// Trains the planned row from the session's data and publishes it.
Status TrainAndPublish(Session& session, const WorkerOptions& options, const RowPlan& plan,
                       const std::atomic<bool>* stop, Clock::time_point start) {
  const model::TrainConfig& config = plan.config;
  SWEEP_RETURN_IF_ERROR(session.Prepare(options.vertex));
  auto loaded = session.TrainData(config);
  if (!loaded.ok())
    return loaded.status().WithContext(fmt::format("row {}: dataset", options.index));
  const Dataset& train = **loaded;
  SWEEP_ASSIGN_OR_RETURN(std::optional<Dataset> test,
                         session.TestData(config, train, options.index));
  log::Info(fmt::format("row {} (attempt {}): {} rows x {} features{}; ready in {:.1f} ms",
                        options.index, options.attempt, train.rows, train.cols,
                        train.num_classes ? fmt::format(", {} classes", train.num_classes) : "",
                        SecondsSince(start) * 1e3));

  storage::Store& store = session.store();
  RowCheckpoint checkpoint(&session.checkpoint_store(), options.index, plan.row_hash,
                           options.attempt);
  SWEEP_RETURN_IF_ERROR(checkpoint.Load().WithContext(fmt::format("row {}", options.index)));
  model::Mlp mlp;
  const int pause = plan.rung && !plan.rung->last ? plan.rung->epochs : 0;
  auto report = TrainRow(config, train, options, stop, pause, &checkpoint, &mlp);
  if (!report.ok()) return report.status().WithContext(fmt::format("row {}: train", options.index));
  storage::RunResult result = NewResult(options, config);
  result.resumes = checkpoint.resumes();
  if (report->paused) {
    result.seconds = SecondsSince(start);
    return PublishPaused(*plan.rung, store, *report, mlp, test, config, &result);
  }
  if (report->diverged) {
    SWEEP_RETURN_IF_ERROR(PublishDiverged(store, *report, train, start, &result));
    if (pause > 0) SWEEP_RETURN_IF_ERROR(PublishBand(*plan.rung, store, result));
    if (!config.checkpoint.keep) checkpoint.Remove();
    return Status::Ok();
  }

  model::Metrics test_metrics;
  if (test) test_metrics = model::Evaluate(mlp, *test, config.network.loss, config.threads);
  result.status = storage::ResultStatus::kSucceeded;
  FillMetrics(*report, test_metrics, &result);
  result.seconds = SecondsSince(start);
  SWEEP_RETURN_IF_ERROR(Publish(store, options.index, mlp, train, &result).WithContext("publish"));
  SWEEP_RETURN_IF_ERROR(FinishVertexRow(options.vertex, session.vertex_stores(), store, result)
                            .WithContext("Vertex AI"));
  if (!config.checkpoint.keep) checkpoint.Remove();
  std::string summary = fmt::format("row {} succeeded in {:.2f}s", options.index, result.seconds);
  for (const auto& [name, value] : result.metrics)
    summary += fmt::format(" {}={:.4f}", name, value);
  log::Info(summary);
  return Status::Ok();
}

// One slot of the session: options.index is the row (or the position in the rung).
Status RunRow(Session& session, WorkerOptions options, const std::atomic<bool>* stop) {
  const auto start = Clock::now();
  SWEEP_ASSIGN_OR_RETURN(std::optional<RowPlan> plan, PlanRow(session, &options));
  if (!plan) return Status::Ok();
  return TrainAndPublish(session, options, *plan, stop, start);
}

StatusOr<std::unique_ptr<Session>> OpenSession(const WorkerOptions& options) {
  // A file size limit (ulimit -f) would kill the process with SIGXFSZ mid-publish, leaving temp
  // files; ignored, the write fails with EFBIG and the normal path cleans up and exits 75.
  std::signal(SIGXFSZ, SIG_IGN);
  return Session::Open(options.params, options.overrides, options.storage);
}

// The slots a child may take: the rung's size for a rung's child, else the spec's rows.
StatusOr<int> SlotCount(Session& session, const WorkerOptions& options) {
  if (options.rung.empty()) return static_cast<int>(session.spec().rows.size());
  // The first slot resolved the rung already: the plan is valid here.
  SWEEP_ASSIGN_OR_RETURN(search::HalvingPlan plan, search::MakeHalvingPlan(session.spec()));
  int bracket = 0, rung = 0;
  std::sscanf(options.rung.c_str(), "%d-%d", &bracket, &rung);
  return plan.brackets[bracket].rungs[rung].size;
}

// Whether a packed slot's row is published already (a retried pack redoes nothing finished).
StatusOr<bool> PublishedAlready(Session& session, const WorkerOptions& options) {
  if (!options.rung.empty()) return false;  // RungDone decides for a rung's child
  SWEEP_ASSIGN_OR_RETURN(auto finished,
                         ReadFinished(session.store(), storage::ResultPath("", options.index)));
  return finished.has_value();
}

// Of two failed rows, the status the pack exits with: one an engine retries wins (a retry
// skips the rows already published), else the first.
Status Worse(const Status& first, const Status& next) {
  if (first.ok()) return next;
  if (ExitCodeFor(first) != ExitCode::kTransient && ExitCodeFor(next) == ExitCode::kTransient)
    return next;
  return first;
}

}  // namespace

Status RunPack(const WorkerOptions& given, const std::vector<int>& indices,
               const std::atomic<bool>* stop) {
  SWEEP_CHECK(!indices.empty());
  SWEEP_ASSIGN_OR_RETURN(std::unique_ptr<Session> session, OpenSession(given));
  Status worst;
  int failed = 0, done = 0, skipped = 0, slots = 0;
  for (size_t j = 0; j < indices.size(); ++j) {
    WorkerOptions options = given;
    options.index = indices[j];
    if (j > 0) {  // the first slot fails loudly past the end; the last pack may be short
      SWEEP_ASSIGN_OR_RETURN(int count, SlotCount(*session, given));
      if (options.index >= count) break;
      if (stop != nullptr && stop->load())
        return Status::Cancelled(fmt::format("stopped before slot {} (row {})", j, options.index));
    }
    ++slots;
    SWEEP_ASSIGN_OR_RETURN(bool published, PublishedAlready(*session, options));
    if (published) {
      log::Info(fmt::format("row {}: result.json is there already: skipped", options.index));
      ++skipped;
      continue;
    }
    Status s = RunRow(*session, options, stop);
    if (s.code() == StatusCode::kCancelled) return s;
    if (s.ok()) {
      ++done;
      continue;
    }
    log::Error(s.message());
    ++failed;
    worst = Worse(worst, s);
  }
  log::Info(fmt::format("pack of {}: {} trained, {} published already, {} failed", slots, done,
                        skipped, failed));
  if (failed == 0) return Status::Ok();
  return worst.WithContext(fmt::format("{} of {} packed rows failed", failed, slots));
}

Status RunWorker(const WorkerOptions& options, const std::atomic<bool>* stop) {
  SWEEP_ASSIGN_OR_RETURN(std::unique_ptr<Session> session, OpenSession(options));
  return RunRow(*session, options, stop);
}

}  // namespace sweep::worker
