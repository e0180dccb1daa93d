// TrainState: a training run paused at a mini-batch boundary, with everything Train needs to go
// on exactly as if it had never stopped (same thread count: bit-identical weights and metrics).
// storage/checkpoint.h writes it to storage; Train (train.h) produces it through
// TrainHooks::on_checkpoint and resumes from it with TrainHooks::resume.
#pragma once

#include <cstdint>
#include <vector>

#include "base/status.h"
#include "model/train.h"

namespace sweep::model {

struct TrainState {
  // Where: `batches_done` mini-batches of 1-based `epoch` are done; 0 = the epoch has not
  // started (its shuffle not drawn yet).
  int epoch = 1;
  int64_t batches_done = 0;
  int64_t steps = 0;  // optimizer steps before `epoch`
  int threads = 1;    // training threads (Trainer's pool): `thread_sums` has one entry per thread

  // The epoch in progress: rows in this epoch's order (after its shuffle once batches_done > 0),
  // the shuffle generator's state, and each thread's running loss/accuracy sums.
  std::vector<int64_t> train_order;
  uint64_t shuffle_state = 0;
  std::vector<double> thread_loss, thread_accuracy;
  double epoch_seconds = 0;  // training time spent in the epoch in progress

  // The model and the optimizer: flat parameters in ParameterLayout order (per layer: w
  // column-major, then b), Adam/momentum moments in the same order (empty when unused).
  std::vector<float> params, moment1, moment2;

  // Early stopping and what the report needs: the best validation value so far (NaN: none),
  // epochs since it, its epoch and weights (empty when none), and the finished epochs.
  double best_value = 0;
  int since_best = 0;
  int best_epoch = 0;
  std::vector<float> best_params;
  std::vector<EpochRecord> history;
  double seconds = 0;  // training time before the pause, over every attempt
};

// What a resumed run must match: its model's weight count, its optimizer's moment sizes, its
// training rows (in any order), its epochs and mini-batches per epoch, and its pause point
// (TrainHooks::pause_after_epoch; 0 = none).
struct RunShape {
  int64_t params = 0;
  size_t moment1 = 0, moment2 = 0;
  const std::vector<int64_t>* train = nullptr;
  int epochs = 0;
  int64_t batches = 0;
  int pause = 0;
};

// Ok when `s` can resume a run of this shape; else Corruption "checkpoint does not fit this
// row: ..." saying what differs (another row's or data set's checkpoint, or a state past the
// pause: a later rung's). One rule for the CPU trainer and the GPU one (model/cuda).
Status CheckStateFits(const TrainState& s, const RunShape& run);

}  // namespace sweep::model
