// The row's checkpoint in storage ({index}/checkpoint/checkpoint.bin, storage/checkpoint.h):
// looked for before training, written at each pause of the training loop (every
// checkpoint_seconds, and on SIGTERM), removed after the final publish unless keep_checkpoint.
// Any attempt on any engine resumes from it, so Spot reclaims lose at most checkpoint_seconds.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "base/status.h"
#include "model/train_state.h"
#include "storage/store.h"

namespace sweep::worker {

class RowCheckpoint {
 public:
  // `store` must outlive this object. `row_hash` is RowHash of the row as trained (overrides
  // applied): a checkpoint of another version of the row is never resumed.
  RowCheckpoint(storage::Store* store, int index, std::string row_hash, int attempt);

  // Reads the checkpoint. None: nothing to resume. A corrupt one, one of another format
  // version or of another row: a warning naming why, nothing to resume (training starts over).
  // Errors: Unavailable when storage cannot say (retry rather than lose the checkpoint).
  Status Load();
  // The state to resume from; null when there is none (or after Discard).
  const model::TrainState* state() const { return state_ ? &*state_ : nullptr; }
  // Forgets a loaded state that training refused (does not fit): a warning, start over.
  void Discard(const std::string& why);

  // Every resume of this row so far, this attempt's included, for result.json:
  // [{"attempt": 2, "epoch": 3, "step": 17}] (step: mini-batches of that epoch already done).
  const nlohmann::json& resumes() const { return resumes_; }

  // Writes `state` atomically. A failure is a warning, not an error: training goes on, and the
  // previous checkpoint (if any) stays whole.
  void Save(const model::TrainState& state);
  // After the final publish. A failure is a warning (a stale checkpoint is never resumed:
  // result.json marks the row finished).
  void Remove();

 private:
  std::string Path() const;

  storage::Store* store_;
  int index_;
  std::string row_hash_;
  int attempt_;
  std::optional<model::TrainState> state_;
  nlohmann::json resumes_ = nlohmann::json::array();
};

}  // namespace sweep::worker
