// Training and evaluation of an Mlp on an in-memory Dataset.
//
// Deterministic: for a given config (seed included), data, build and thread count the weights
// are bit-identical run after run. Training threads run with flush-to-zero and
// denormals-are-zero set (denormal Adam moments otherwise slow steps several times).
//
// Threads: config.threads (0 = AvailableCpus()) is an upper bound. Each mini-batch is split
// over one pool of threads, the per-thread gradients are summed in thread order and the
// update is split by parameter range. Steps too small to share (under ~0.5M multiply-adds per
// thread, e.g. 101 rows of softmax regression) run on fewer threads; the choice depends only on
// the config and the data's shape, so runs stay repeatable.
#pragma once

#include <atomic>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "base/dataset.h"
#include "base/status.h"
#include "model/config.h"
#include "model/mlp.h"

namespace sweep::model {

inline constexpr double kNoValue = std::numeric_limits<double>::quiet_NaN();

struct Metrics {
  double loss = kNoValue;
  double accuracy = kNoValue;  // NaN for regression
};

struct EpochRecord {
  int epoch = 0;  // 1-based
  Metrics train;  // averaged over the epoch's mini-batches
  Metrics val;    // NaN when there is no validation split
  double learning_rate = 0;
  double seconds = 0;  // this epoch's training time (validation excluded)
};

// Where training stopped on a non-finite loss (learning rate too high, exploding gradients):
// rerunning the same config diverges the same way.
struct Divergence {
  int epoch = 0;     // 1-based epoch whose loss was not finite
  int64_t step = 0;  // 1-based optimizer step (counted over the run) that gave it
  std::string what;  // "train loss nan", "val loss inf"
};

// "diverged at epoch 3 (step 12): train loss nan"
std::string DescribeDivergence(const Divergence& d);

struct TrainReport {
  std::vector<EpochRecord> history;  // finite epochs only
  Metrics train;       // final, evaluated on the training rows (validation rows excluded)
  Metrics val;         // final, on the validation rows; NaN when validation_split == 0
  int best_epoch = 0;  // the epoch whose weights the model holds at the end
  bool stopped_early = false;
  double seconds = 0;  // total training time
  // Set when a loss became NaN or infinite: training stopped at once, the model's weights are
  // not usable, train/val are the last finite epoch's (NaN when none was) and best_epoch is
  // that epoch (0 when none).
  std::optional<Divergence> diverged;
  // Set when TrainHooks::pause_after_epoch paused the run at the end of that epoch: train/val
  // are that epoch's history values (nothing re-evaluated), best_epoch is 0, and the state to
  // go on from went to on_checkpoint.
  bool paused = false;
};

struct TrainState;  // model/train_state.h

struct TrainHooks {
  // Called after each epoch, on the calling thread (with FTZ/DAZ set, as during training).
  std::function<void(const EpochRecord&)> on_epoch;
  // Polled between mini-batches; when it becomes true Train returns Status::Cancelled (after
  // on_checkpoint, when set).
  const std::atomic<bool>* stop = nullptr;
  // Called with the whole state, training paused at a mini-batch boundary, on the calling
  // thread: at most every config.checkpoint.seconds of training (0: at the end of each epoch),
  // and once when `stop` is set. Null: no checkpoints.
  std::function<void(const TrainState&)> on_checkpoint;
  // When it becomes true (a Spot interruption notice), one checkpoint as soon as possible,
  // then training goes on. Null: never.
  const std::atomic<bool>* checkpoint_now = nullptr;
  // Go on from this state (an earlier run's on_checkpoint of the same config and data) instead
  // of the start. Null: from the start.
  const TrainState* resume = nullptr;
  // > 0: pause at the end of this 1-based epoch when it is before config.epochs (successive
  // halving's bands): on_checkpoint gets the state at the start of the next epoch and Train
  // returns a report with `paused` set. The learning-rate schedule still runs over
  // config.epochs, so going on from that state is bit-identical to never pausing. Resumed from
  // that very state, Train returns the same paused report at once; from a state past it,
  // Corruption (train from the start instead).
  int pause_after_epoch = 0;
};

// Builds the model from `config` and the data's shape, then trains it.
// Requires: config within its row keys' ranges and Validate(config).ok() (ConfigFromRow checks
// both). Classification (Loss::kCrossEntropy) needs data.num_classes >= 2; regression
// (Loss::kMse) uses y as the single target.
// Errors: InvalidArgument (data does not fit the config: empty, too few rows to split, labels
// not integers in [0, num_classes), device cuda in a CPU build), Cancelled (hooks.stop set),
// Corruption (hooks.resume does not fit this model, data split or config). Resuming with the
// thread count of the run that paused gives bit-identical weights and metrics.
// A diverged run is not an error: it returns a report with `diverged` set. The check costs one
// isfinite per thread and mini-batch (the batch loss, not every element).
// On early stopping the best epoch's weights are restored. The reported losses are data losses
// (the weight decay term is not included); train.loss/accuracy in the history are averaged over
// the epoch's mini-batches, with the weights changing in between.
StatusOr<TrainReport> Train(const TrainConfig& config, const Dataset& data, Mlp* model,
                            const TrainHooks& hooks = {});

// Ok when this process can train `config` where config.device says: the build has the device
// (CheckDeviceBuilt), the GPU path supports every feature the config uses (cuda::CheckSupported:
// today every feature) and a CUDA device is present.
// Cheap: the worker calls it before loading any data. Errors: InvalidArgument.
Status CheckDeviceReady(const TrainConfig& config);

// Trains several rows on the same data at once, each exactly as Train(configs[i], data,
// models[i], hooks[i]) would, and returns one result per row, in order (a failing row does not
// stop the others). Rows with device cpu run one after another through Train. Rows with device
// cuda that share an architecture and schedule shape (hidden, activation, loss, batch_size,
// epochs, validation_split, optimizer, pause point, resume point) train together on one GPU, up
// to cuda::kMaxPackedRows at a time, with batched GEMMs over the rows: same initial weights and
// batch order as one by one. On a build without CUDA those rows fail as Train's would.
// `on_done`, when set, is called on the calling thread with each row's index and result as soon
// as that row is finished (a cpu row after its Train, a GPU pack's rows after the pack), so a
// caller can publish a row before the next one trains.
// Requires: configs, models and hooks of one size; every model non-null and distinct.
using RowDone = std::function<void(size_t row, const StatusOr<TrainReport>& result)>;
std::vector<StatusOr<TrainReport>> TrainPacked(const std::vector<TrainConfig>& configs,
                                               const Dataset& data, const std::vector<Mlp*>& models,
                                               const std::vector<TrainHooks>& hooks,
                                               const RowDone& on_done = {});

// Loss and accuracy of `model` on all rows of `data` (batched, `threads` threads; 0 = quota).
// The result does not depend on `threads`.
// Requires: data.cols == model.inputs(); for kCrossEntropy every y a label of the model.
Metrics Evaluate(const Mlp& model, const Dataset& data, Loss loss, int threads = 0);

// The model's outputs for every row of `data` (y is ignored and may be empty):
// outputs x rows, column i for row i; class probabilities for a softmax model.
// Requires: data.cols == model.inputs().
Matrix Predict(const Mlp& model, const Dataset& data, int threads = 0);

// The learning rate of 1-based `epoch` under config.schedule (what EpochRecord reports):
// constant; step: lr * gamma^floor((epoch - 1) / step_epochs); cosine: from lr at epoch 1 to
// min_lr at the last epoch.
double ScheduledLearningRate(const TrainConfig& config, int epoch);

}  // namespace sweep::model
