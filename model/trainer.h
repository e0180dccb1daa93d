// The training loop behind Train (train.h), with its pause points. Internal to sweep_model.
//
// A run can pause at any mini-batch boundary: thread 0 asks for it after an update (SIGTERM's
// stop flag, or a checkpoint due), every thread returns after the step's last barrier, and Run
// then hands the whole state (Capture) to TrainHooks::on_checkpoint on the calling thread before
// it either stops or goes on with the next mini-batch. Restore puts a captured state back, so a
// resumed run takes exactly the steps an uninterrupted one would (with the same thread count).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <vector>

#include "base/dataset.h"
#include "base/random.h"
#include "model/config.h"
#include "model/kernels.h"
#include "model/mlp.h"
#include "model/optimizer.h"
#include "model/thread_pool.h"
#include "model/train.h"
#include "model/train_state.h"

namespace sweep::model {

struct Split {
  std::vector<int64_t> train, val;
};

struct alignas(64) EpochSums {  // one per thread, padded against false sharing
  double loss = 0, accuracy = 0;
  int64_t steps = 0;  // mini-batches of the current epoch done
};

class Trainer {
 public:
  Trainer(const TrainConfig& config, const Dataset& data, Split split, Mlp* model,
          const TrainHooks& hooks);
  // Continues from `state` instead of the start. Errors: Corruption when it does not fit this
  // model, data split or config (another row's or another data set's checkpoint).
  Status Restore(const TrainState& state);
  StatusOr<TrainReport> Run();

 private:
  using Clock = std::chrono::steady_clock;

  void Slice(int t, int64_t s, int64_t* lo, int* n, int64_t* b) const;
  const float* SliceInputs(int t, int64_t lo, int n);
  void EpochWork(int t, float lr, int64_t first);
  void StartEpoch();                            // shuffle, zero the sums
  int64_t RunBatches(float lr, int64_t first);  // up to the end or a pause; batches done
  Metrics EpochMetrics() const;
  bool PauseWanted() const;  // thread 0, after an update
  bool Stopping() const { return hooks_.stop != nullptr && hooks_.stop->load(); }
  bool CheckpointDue() const;
  bool NoticePending() const;  // hooks_.checkpoint_now is set and not yet served
  void Checkpoint(int epoch, int64_t batches_done, double epoch_seconds);
  TrainState Capture(int epoch, int64_t batches_done, double epoch_seconds) const;
  bool EndEpoch(const EpochRecord& rec);  // early stopping; true = stop now
  bool Improved(const Metrics& val);
  TrainReport Diverged(int epoch, int64_t step, const char* split, double loss);
  StatusOr<TrainReport> Finish();
  TrainReport Paused(int epoch);  // hooks_.pause_after_epoch reached
  double Seconds() const;         // training time over every attempt

  const TrainConfig& config_;
  const Dataset& data_;
  Split split_;
  Mlp* model_;
  const TrainHooks& hooks_;
  int64_t batch_, num_batches_;
  bool fixed_batch_;  // one batch per epoch: same rows every step, gathered once
  ThreadPool pool_;
  std::vector<Workspace> ws_, eval_ws_;
  std::vector<const float*> grads_;
  std::vector<char> gathered_;
  std::vector<EpochSums> sums_;
  OptimizerState optimizer_;
  SplitMix64Rng shuffle_rng_;
  int64_t step_ = 0;  // optimizer steps before the current epoch
  std::atomic<bool> pause_{false};
  std::atomic<int64_t> diverged_step_{0};  // the first step with a non-finite batch loss; 0 = none
  double diverged_loss_ = 0;               // that loss (NaN or inf)

  // Early stopping and the report so far.
  TrainReport report_;
  Mlp best_;
  double best_value_ = kNoValue;
  int since_best_ = 0;

  // Where this run starts (Restore) and its clocks.
  int first_epoch_ = 1;
  int64_t resume_batches_ = 0;
  double resume_epoch_seconds_ = 0;
  double prior_seconds_ = 0;   // training time of earlier attempts
  bool notice_saved_ = false;  // the checkpoint hooks_.checkpoint_now asked for is written
  Clock::time_point start_ = Clock::now();
  Clock::time_point last_checkpoint_ = Clock::now();
};

// Seconds since `t0` on the steady clock (epoch times, checkpoint intervals; both trainers).
double SecondsSince(std::chrono::steady_clock::time_point t0);

// What Train does before training on any device: checks the device and the data, splits the rows
// (seeded by the config) and builds the initial model into *model (SubSeed(seed, 1)).
// Errors: InvalidArgument as Train's.
StatusOr<Split> PrepareRun(const TrainConfig& config, const Dataset& data, Mlp* model);

// The report of a run that diverged at `step` of `epoch` (`split`'s loss not finite): the last
// finite epoch's metrics (none when there is none), nothing re-evaluated. One rule for the CPU
// trainer and the GPU one (model/cuda).
TrainReport DivergedReport(TrainReport report, int epoch, int64_t step, const char* split,
                           double loss);

// Below ~0.5M multiply-adds per thread and step the barrier wake-ups cost more than the work
// they share. A pure function of the config and data shape, so runs stay repeatable.
int TrainingThreads(int requested, int64_t batch, int64_t params);

}  // namespace sweep::model
