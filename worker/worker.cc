#include "worker/worker.h"

#include <fmt/format.h>

#include <chrono>
#include <csignal>

#include "base/check.h"
#include "base/exit_code.h"
#include "base/log.h"
#include "model/train.h"
#include "storage/layout.h"
#include "storage/store.h"
#include "sweep/spec/row_config.h"
#include "sweep/spec/spec.h"
#include "worker/publish.h"
#include "worker/rung.h"
#include "worker/session.h"
#include "worker/train_slots.h"

namespace sweep::worker {
namespace {

using Clock = std::chrono::steady_clock;

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
  auto wave = session.WaveRows(row / spec.bayes->wave_size);
  if (!wave.ok()) return wave.status().WithContext(fmt::format("row {}: wave", row));
  return (**wave)[row % spec.bayes->wave_size];
}

// The row of `options` (a rung's child: options->index becomes the row), checked before any
// data is fetched or read; nullopt when a rung's record of that row is already in storage.
StatusOr<std::optional<RowPlan>> PlanRow(Session& session, WorkerOptions* options) {
  RowPlan plan;
  if (!options->rung.empty()) {
    SWEEP_ASSIGN_OR_RETURN(const ResolvedRung* rung, session.Rung(options->rung));
    SWEEP_ASSIGN_OR_RETURN(RungTask task, RungTaskAt(*rung, options->index));
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
  // Asked before any data is fetched or read: a CPU build (or a machine without a GPU) given
  // device: cuda fails here, not after a long download.
  SWEEP_RETURN_IF_ERROR(
      model::CheckDeviceReady(plan.config).WithContext(fmt::format("row {}", options->index)));
  SWEEP_RETURN_IF_ERROR(CheckReadOptions(plan.config, session.spec().base_dir)
                            .WithContext(fmt::format("row {}", options->index)));
  return std::optional<RowPlan>(std::move(plan));
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
  return RungSize(options.rung, session.spec());
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
  int failed = 0, done = 0, skipped = 0, slots_taken = 0;
  auto failure = [&](const Status& s) {
    log::Error(s.message());
    ++failed;
    worst = Worse(worst, s);
  };
  std::vector<Slot> slots;
  std::optional<int> count;  // slots the child may take, known once the first is resolved
  for (size_t j = 0; j < indices.size(); ++j) {
    Slot slot{given, {}, Clock::now()};
    slot.options.index = indices[j];
    if (j > 0) {  // the first slot fails loudly past the end; the last pack may be short
      if (!count) {
        SWEEP_ASSIGN_OR_RETURN(count, SlotCount(*session, given));
      }
      if (slot.options.index >= *count) break;
    }
    ++slots_taken;
    SWEEP_ASSIGN_OR_RETURN(bool published, PublishedAlready(*session, slot.options));
    if (published) {
      log::Info(fmt::format("row {}: result.json is there already: skipped", slot.options.index));
      ++skipped;
      continue;
    }
    StatusOr<std::optional<RowPlan>> plan = PlanRow(*session, &slot.options);
    if (!plan.ok()) {
      failure(plan.status());
    } else if (!*plan) {
      ++skipped;  // a rung's record already there
    } else {
      slot.plan = std::move(**plan);
      slots.push_back(std::move(slot));
    }
  }
  bool cancelled = false;
  for (const Status& s : TrainSlots(*session, slots, stop)) {
    if (s.ok()) {
      ++done;
    } else if (s.code() == StatusCode::kCancelled) {
      cancelled = true;
    } else {
      failure(s);
    }
  }
  log::Info(fmt::format("pack of {}: {} trained, {} published already, {} failed", slots_taken,
                        done, skipped, failed));
  if (cancelled) return Status::Cancelled("stopped (SIGTERM): the rows in training checkpointed");
  if (failed == 0) return Status::Ok();
  return worst.WithContext(fmt::format("{} of {} packed rows failed", failed, slots_taken));
}

Status RunWorker(const WorkerOptions& options, const std::atomic<bool>* stop) {
  SWEEP_ASSIGN_OR_RETURN(std::unique_ptr<Session> session, OpenSession(options));
  Slot slot{options, {}, Clock::now()};
  SWEEP_ASSIGN_OR_RETURN(std::optional<RowPlan> plan, PlanRow(*session, &slot.options));
  if (!plan) return Status::Ok();
  slot.plan = std::move(*plan);
  return TrainSlots(*session, {slot}, stop).front();
}

}  // namespace sweep::worker
