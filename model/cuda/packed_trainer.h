// PackedTrainer: K rows of one architecture trained at once on one GPU, behind cuda::TrainRows
// (train_cuda.h). Internal to sweep_model's CUDA build.
//
// The loop is model/trainer.cc's, step for step, over all rows at once: the same epoch
// shuffles (drawn on the host, uploaded as indices), one optimizer step per mini-batch, the
// same epoch records, pause points, checkpoints and resume. What differs:
//  - a row whose batch loss becomes NaN/inf is frozen on the device (no more updates) and
//    reported as diverged at its epoch's end; the other rows go on;
//  - the TrainState it writes says threads = 1 (the CPU resumes it with a warning, and so
//    on the GPU);
//  - a row that stops early is frozen and finished at once, the others go on;
//  - checkpoints and the stop flag are served between mini-batches as on the CPU, but a
//    checkpoint copies the weights from the device first.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

#include "base/dataset.h"
#include "base/random.h"
#include "model/cuda/device.h"
#include "model/cuda/train_cuda.h"
#include "model/kernels.h"
#include "model/train_state.h"

namespace sweep::model::cuda {

class PackedTrainer {
 public:
  // `rows` must outlive the trainer; Requires 1 <= rows.size() <= kMaxPackedRows, all Packable.
  PackedTrainer(const Dataset& data, std::vector<RowJob>& rows);
  std::vector<StatusOr<TrainReport>> Run();

 private:
  using Clock = std::chrono::steady_clock;
  struct Row {
    std::vector<int64_t> order;  // training rows, shuffled in place each epoch (as the CPU)
    SplitMix64Rng rng{0};
    TrainReport report;
    std::optional<StatusOr<TrainReport>> result;  // set once the row is done
    bool notice_saved = false;
    double prior_seconds = 0;  // training time of earlier attempts
    // Early stopping: the best validation value (NaN: none), epochs since it, its weights.
    double best_value = kNoValue;
    int since_best = 0;
    std::vector<float> best_params;
    Clock::time_point last_checkpoint = Clock::now();
  };
  struct Buffers {
    DeviceBuffer data_x, data_y, params, grad, m, v, decay, idx, x, y, d[2], loss, correct, ones;
    DeviceBuffer epoch_loss, epoch_acc, eval_loss, eval_acc, diverged, diverged_loss;
    std::vector<DeviceBuffer> a;  // layer outputs
  };

  // packed_trainer.cc: setup and the loop; packed_passes.cc: the passes.
  Status Setup();
  Status Loop();
  Status TrainEpoch(int epoch, int64_t* done, double* seconds);
  Status RunBatches(const std::vector<float>& lr, int64_t first, int64_t* done);
  Status Step(const std::vector<float>& lr, int64_t s);
  Status Forward(int n);
  Status OutputLoss(int n, float grad_scale);
  Status Backward(int n);
  Status UploadOrder(const std::vector<std::vector<int64_t>*>& lists);
  StatusOr<std::vector<Metrics>> Evaluate(bool val);
  Status EndEpoch(int epoch, double seconds);
  Status EarlyStop(size_t r, const EpochRecord& rec, bool* downloaded, bool* stop);
  Status Finish(const std::vector<char>& which = {});  // rows with which[r] (empty: all)
  void Fail(const Status& s);                          // every row without a result gets s

  // packed_state.cc: pause points, checkpoints, resume.
  Status Restore();
  bool Stopping() const;
  bool CheckpointDue(const Row& row, const RowJob& job) const;
  bool NoticePending(const Row& row, const RowJob& job) const;
  bool PauseWanted() const;
  Status Checkpoint(int epoch, int64_t batches_done, double epoch_seconds, bool all);
  TrainState Capture(size_t r, int epoch, int64_t batches_done, double epoch_seconds) const;
  Status DownloadState();   // params/moments (and epoch sums) into the host copies
  Status Freeze(size_t r);  // the row takes no more updates
  Status Paused(int epoch);
  void Cancel(const std::string& why);
  double Seconds(size_t r) const;  // row r's training time over every attempt

  const Dataset& data_;
  std::vector<RowJob>& jobs_;
  std::vector<Row> rows_;
  int k_;
  ParameterLayout layout_;
  std::vector<int> units_;  // per layer
  int widest_ = 1, act_ = 0, classes_ = 1;
  bool classify_;
  int64_t num_train_, num_val_, batch_, num_batches_, cap_;
  int64_t step_ = 0;
  Blas blas_;
  Buffers buf_;
  std::vector<int32_t> host_idx_;  // UploadOrder's staging, kept between epochs
  // Host copies for checkpoints and the final weights.
  std::vector<float> params_h_, m_h_, v_h_;
  std::vector<double> epoch_loss_h_, epoch_acc_h_;
  // Where this run starts (Restore) and its clock.
  int first_epoch_ = 1;
  int64_t resume_batches_ = 0;
  double resume_epoch_seconds_ = 0;
  Clock::time_point start_ = Clock::now();
};

}  // namespace sweep::model::cuda
