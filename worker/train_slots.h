// Training and publishing a process's planned rows (internal to sweep_worker): one row for a
// plain child, K for a packed one (worker/worker.h). Rows that share a data set are handed to
// model::TrainPacked together (cpu rows one after another, cuda rows of one architecture at
// once on the GPU), and each row is published as soon as it is trained, exactly as a one-row
// worker publishes it.
#pragma once

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "model/config.h"
#include "worker/rung.h"
#include "worker/session.h"
#include "worker/worker.h"

namespace sweep::worker {

// What a slot trains: the row (its config checked, its hash for the checkpoint) and, for a
// rung's child, the rung task.
struct RowPlan {
  model::TrainConfig config;
  std::string row_hash;
  std::optional<RungTask> rung;
};

struct Slot {
  WorkerOptions options;  // options.index is the row
  RowPlan plan;
  std::chrono::steady_clock::time_point start;  // when this row's work began (its "ready in")
};

// Trains and publishes every slot; one status per slot, in order (Ok: result.json or the band
// record published). A failing slot does not stop the others; `stop` (SIGTERM) cancels every
// slot still training (each checkpointed).
std::vector<Status> TrainSlots(Session& session, const std::vector<Slot>& slots,
                               const std::atomic<bool>* stop);

}  // namespace sweep::worker
