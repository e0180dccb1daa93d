#include "worker/train_slots.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cmath>
#include <iterator>
#include <map>
#include <memory>

#include "base/log.h"
#include "model/train.h"
#include "sweep/spec/row_config.h"
#include "worker/checkpoint.h"
#include "worker/publish.h"
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

// `prefix` names the row when the process trains several ("row 3: ").
void LogEpoch(const model::EpochRecord& e, int epochs, const std::string& prefix) {
  fmt::memory_buffer line;  // on the stack: no allocation per epoch
  auto out = std::back_inserter(line);
  fmt::format_to(out, "{}epoch {}/{} loss={:.4f}", prefix, e.epoch, epochs, e.train.loss);
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

// The end of a rung before the last: the row's metrics at the band (the test set evaluated
// with the weights as they are) as its band record; the checkpoint stays for the next rung.
Status PublishPaused(const RungTask& task, storage::Store& store, const model::TrainReport& report,
                     const model::Mlp& mlp, const Dataset* test, const model::TrainConfig& config,
                     storage::RunResult* result) {
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

// A slot ready to train: its test set, checkpoint, model and hooks.
struct Prepared {
  const Slot* slot = nullptr;
  size_t index = 0;               // into the caller's slots
  const Dataset* test = nullptr;  // the session's checked copy, shared by the pack's rows
  std::unique_ptr<RowCheckpoint> checkpoint;
  model::Mlp mlp;
  Clock::duration ready{};  // from the slot's start to the end of Prepare
};

// After training: the row's band record, diverged result or model and result.json.
// `start`: when this row's work began (its result's seconds: preparing, training, publishing).
Status PublishOutcome(Session& session, const Prepared& p, const model::TrainReport& report,
                      const Dataset& train, Clock::time_point start) {
  const WorkerOptions& options = p.slot->options;
  const RowPlan& plan = p.slot->plan;
  const model::TrainConfig& config = plan.config;
  storage::Store& store = session.store();
  storage::RunResult result = NewResult(options, config);
  result.resumes = p.checkpoint->resumes();
  if (report.paused) {
    result.seconds = SecondsSince(start);
    return PublishPaused(*plan.rung, store, report, p.mlp, p.test, config, &result);
  }
  if (report.diverged) {
    SWEEP_RETURN_IF_ERROR(PublishDiverged(store, report, train, start, &result));
    if (plan.rung && !plan.rung->last)
      SWEEP_RETURN_IF_ERROR(PublishBand(*plan.rung, store, result));
    if (!config.checkpoint.keep) p.checkpoint->Remove();
    return Status::Ok();
  }
  model::Metrics test_metrics;
  if (p.test) test_metrics = model::Evaluate(p.mlp, *p.test, config.network.loss, config.threads);
  result.status = storage::ResultStatus::kSucceeded;
  FillMetrics(report, test_metrics, &result);
  result.seconds = SecondsSince(start);
  SWEEP_RETURN_IF_ERROR(
      Publish(store, options.index, p.mlp, train, &result).WithContext("publish"));
  SWEEP_RETURN_IF_ERROR(FinishVertexRow(options.vertex, session.vertex_stores(), store, result)
                            .WithContext("Vertex AI"));
  if (!config.checkpoint.keep) p.checkpoint->Remove();
  std::string summary = fmt::format("row {} succeeded in {:.2f}s", options.index, result.seconds);
  for (const auto& [name, value] : result.metrics)
    summary += fmt::format(" {}={:.4f}", name, value);
  log::Info(summary);
  return Status::Ok();
}

// The test set and the checkpoint of a slot whose training set is `train`.
Status Prepare(Session& session, const Dataset& train, Prepared* p) {
  const WorkerOptions& options = p->slot->options;
  SWEEP_ASSIGN_OR_RETURN(p->test, session.TestData(p->slot->plan.config, train, options.index));
  log::Info(fmt::format("row {} (attempt {}): {} rows x {} features{}; ready in {:.1f} ms",
                        options.index, options.attempt, train.rows, train.cols,
                        train.num_classes ? fmt::format(", {} classes", train.num_classes) : "",
                        SecondsSince(p->slot->start) * 1e3));
  p->checkpoint = std::make_unique<RowCheckpoint>(&session.checkpoint_store(), options.index,
                                                  p->slot->plan.row_hash, options.attempt);
  SWEEP_RETURN_IF_ERROR(p->checkpoint->Load().WithContext(fmt::format("row {}", options.index)));
  p->ready = Clock::now() - p->slot->start;
  return Status::Ok();
}

// Trains the prepared slots, all on `train`, through model::TrainPacked; each row published
// when it is done. From the checkpoint when there is one that fits (one that does not is
// discarded and the row trained from the start); on SIGTERM (`stop`) each row saves one and
// ends Cancelled; with spot_notice_s, a Spot interruption notice saves one in every row.
void TrainGroup(Session& session, const Dataset& train, std::vector<Prepared>& rows,
                const std::atomic<bool>* stop, std::vector<Status>* statuses) {
  const WorkerOptions& first = rows.front().slot->options;
  std::atomic<bool> notice{false};
  std::optional<SpotNoticeWatcher> watcher;
  if (first.spot_notice_s > 0) watcher.emplace(first.spot_notice_s, &notice);
  const bool several = rows.size() > 1 || statuses->size() > 1;
  std::vector<model::TrainConfig> configs;
  std::vector<model::Mlp*> models;
  std::vector<model::TrainHooks> hooks(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    Prepared& p = rows[i];
    const model::TrainConfig& config = p.slot->plan.config;
    const RowPlan& plan = p.slot->plan;
    configs.push_back(config);
    models.push_back(&p.mlp);
    model::TrainHooks& h = hooks[i];
    h.stop = stop;
    h.checkpoint_now = &notice;
    std::string prefix = several ? fmt::format("row {}: ", p.slot->options.index) : "";
    h.on_epoch = [&p, prefix, epochs = config.epochs](const model::EpochRecord& e) {
      LogEpoch(e, epochs, prefix);
      ReportTrialEpoch(p.slot->options.vertex, e);
    };
    RowCheckpoint* checkpoint = p.checkpoint.get();
    h.on_checkpoint = [checkpoint](const model::TrainState& s) { checkpoint->Save(s); };
    h.resume = checkpoint->state();
    h.pause_after_epoch = plan.rung && !plan.rung->last ? plan.rung->epochs : 0;
  }
  // A row's time: its preparation, then from when it began training (cpu rows one after
  // another, a GPU pack's rows together) to its publish.
  const Clock::time_point group_start = Clock::now();
  Clock::time_point turn = group_start;
  model::TrainPacked(
      configs, train, models, hooks, [&](size_t i, const StatusOr<model::TrainReport>& done) {
        Prepared& p = rows[i];
        const bool cpu = configs[i].device == model::Device::kCpu;
        const Clock::time_point start = (cpu ? turn : group_start) - p.ready;
        StatusOr<model::TrainReport> report = done;
        if (!report.ok() && report.status().code() == StatusCode::kCorruption &&
            hooks[i].resume != nullptr) {
          p.checkpoint->Discard(report.status().message());
          hooks[i].resume = nullptr;
          report = model::Train(configs[i], train, &p.mlp, hooks[i]);
        }
        const int row = p.slot->options.index;
        (*statuses)[p.index] = report.ok()
                                   ? PublishOutcome(session, p, *report, train, start)
                                   : report.status().WithContext(fmt::format("row {}: train", row));
        if (cpu) turn = Clock::now();
      });
}

}  // namespace

std::vector<Status> TrainSlots(Session& session, const std::vector<Slot>& slots,
                               const std::atomic<bool>* stop) {
  std::vector<Status> statuses(slots.size());
  if (slots.empty()) return statuses;
  if (Status ready = session.Prepare(slots.front().options.vertex); !ready.ok()) {
    for (Status& s : statuses) s = ready;
    return statuses;
  }
  // Consecutive slots on the same training set train together (the session reads each once).
  size_t i = 0;
  while (i < slots.size()) {
    const int row = slots[i].options.index;
    StatusOr<const Dataset*> train = session.TrainData(slots[i].plan.config);
    if (!train.ok()) {
      statuses[i++] = train.status().WithContext(fmt::format("row {}: dataset", row));
      continue;
    }
    std::vector<Prepared> group;
    for (; i < slots.size(); ++i) {
      StatusOr<const Dataset*> same = session.TrainData(slots[i].plan.config);
      if (!same.ok() || *same != *train) break;
      Prepared p;
      p.slot = &slots[i];
      p.index = i;
      if (Status s = Prepare(session, **train, &p); !s.ok()) {
        statuses[i] = s;
        continue;
      }
      group.push_back(std::move(p));
    }
    if (!group.empty()) TrainGroup(session, **train, group, stop, &statuses);
  }
  return statuses;
}

}  // namespace sweep::worker
