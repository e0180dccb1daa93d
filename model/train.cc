#include "model/train.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <numeric>
#include <numbers>
#include <string>

#include "base/cpu.h"
#include "model/evaluate.h"
#include "model/kernels.h"
#include "model/optimizer.h"
#include "model/random.h"
#include "model/thread_pool.h"

namespace sweep::model {
namespace {

using Clock = std::chrono::steady_clock;

double Since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

std::string SourceName(const Dataset& data) {
  return data.source.empty() ? "dataset" : data.source;
}

Status CheckData(const TrainConfig& config, const Dataset& data) {
  const std::string src = SourceName(data);
  if (data.rows < 1 || data.cols < 1) {
    return Status::InvalidArgument(src + ": no data (" + std::to_string(data.rows) + " rows, " +
                                   std::to_string(data.cols) + " columns)");
  }
  if (data.x.size() != static_cast<size_t>(data.rows) * data.cols ||
      data.y.size() != static_cast<size_t>(data.rows)) {
    return Status::InvalidArgument(src + ": x/y sizes do not match rows x cols");
  }
  if (config.network.loss != Loss::kCrossEntropy) return Status::Ok();
  if (data.num_classes < 2) {
    return Status::InvalidArgument(src + ": loss cross_entropy needs num_classes >= 2, got " +
                                   std::to_string(data.num_classes));
  }
  for (int64_t i = 0; i < data.rows; ++i) {
    const float y = data.y[i];
    if (!(y >= 0 && y < data.num_classes) || y != std::floor(y)) {
      return Status::InvalidArgument(src + ": row " + std::to_string(i) + ": label " +
                                     std::to_string(y) + " is not an integer in [0, " +
                                     std::to_string(data.num_classes) + ")");
    }
  }
  return Status::Ok();
}

struct Split {
  std::vector<int64_t> train, val;
};

// Seeded shuffle, then the last `fraction` of the rows are held out.
StatusOr<Split> SplitRows(const Dataset& data, float fraction, uint64_t seed) {
  std::vector<int64_t> order(data.rows);
  for (int64_t i = 0; i < data.rows; ++i) order[i] = i;
  const int64_t n_val = static_cast<int64_t>(std::floor(data.rows * static_cast<double>(fraction)));
  if (fraction > 0 && (n_val < 1 || n_val >= data.rows)) {
    char frac[32];
    std::snprintf(frac, sizeof frac, "%g", fraction);
    return Status::InvalidArgument(SourceName(data) + ": validation_split " + frac + " of " +
                                   std::to_string(data.rows) +
                                   " rows leaves an empty training or validation set");
  }
  if (n_val > 0) {
    Random rng(seed);
    for (int64_t i = data.rows - 1; i > 0; --i) std::swap(order[i], order[rng.Below(i + 1)]);
  }
  Split s;
  s.train.assign(order.begin(), order.end() - n_val);
  s.val.assign(order.end() - n_val, order.end());
  return s;
}

// Below ~0.5M multiply-adds per thread and step the barrier wake-ups cost more than the work
// they share; tiny problems (W2: 101 rows) run on one thread. A pure function of the config
// and data shape, so runs stay repeatable.
int TrainingThreads(int requested, int64_t batch, int64_t params) {
  const int64_t t = requested > 0 ? requested : AvailableCpus();
  const int64_t by_work = batch * params / (1 << 19);
  return static_cast<int>(std::max<int64_t>(1, std::min({t, batch / 8, by_work})));
}

struct alignas(64) EpochSums {  // one per thread, padded against false sharing
  double loss = 0, accuracy = 0;
  int64_t steps = 0;
};

// One mini-batch step on T threads, two barriers:
//   1. each thread: forward, loss and deltas of its share of the batch's samples (columns of
//      the shared Workspace);
//   2. each thread: the weight gradient of its share of every layer's input columns over the
//      whole batch, updated by the optimizer while that gradient is in cache.
// Threads own disjoint parameter ranges, so no gradient is summed across threads, and every
// gradient value is one GEMM over the whole batch.
class Trainer {
 public:
  Trainer(const TrainConfig& config, const Dataset& data, Split split, Mlp* model,
          const TrainHooks& hooks);
  StatusOr<TrainReport> Run();

 private:
  Columns Share(int t, int64_t s) const;
  int64_t BatchSize(int64_t s) const;
  const float* BatchInputs(int64_t s);
  float* InputBuffer(int64_t s);
  void PrepareInputs(int t, int64_t s);
  void UpdateLayers(int t, const float* x, int n, float lr, int64_t step);
  void EpochWork(int t, float lr);
  Metrics RunEpoch(float lr);
  bool Improved(const Metrics& val, double* best) const;

  const TrainConfig& config_;
  const Dataset& data_;
  Split split_;
  Mlp* model_;
  const TrainHooks& hooks_;
  int64_t batch_, num_batches_;
  bool fixed_batch_;  // one batch per epoch: same rows every step, gathered once
  bool in_place_;     // the one batch is data_.x itself, in order: nothing to gather
  bool prepared_ = false;  // fixed_batch_: inputs and targets are in place
  ThreadPool pool_;
  Workspace ws_;  // the whole batch, shared: each thread writes its own columns
  std::vector<Workspace> eval_ws_;
  std::vector<EpochSums> sums_;
  OptimizerState optimizer_;
  Random shuffle_rng_;
  int64_t step_ = 0;
  std::atomic<bool> cancel_{false};
};

Trainer::Trainer(const TrainConfig& config, const Dataset& data, Split split, Mlp* model,
                 const TrainHooks& hooks)
    : config_(config),
      data_(data),
      split_(std::move(split)),
      model_(model),
      hooks_(hooks),
      batch_(config.batch_size == 0 ? static_cast<int64_t>(split_.train.size())
                                    : std::min<int64_t>(config.batch_size, split_.train.size())),
      num_batches_((static_cast<int64_t>(split_.train.size()) + batch_ - 1) / batch_),
      fixed_batch_(num_batches_ == 1),
      // Without a validation split one fixed batch is the data itself, in order: no copy.
      in_place_(fixed_batch_ && split_.val.empty()),
      pool_(TrainingThreads(config.threads, batch_, model->ParameterCount())),
      // One thread gathers the next batch after it is done with this one: one buffer.
      ws_(*model, static_cast<int>(batch_), fixed_batch_ || pool_.size() == 1 ? 1 : 2),
      sums_(pool_.size()),
      optimizer_(config.optimizer, model),
      shuffle_rng_(SubSeed(config.seed, 2)) {
  eval_ws_ = MakeEvalWorkspaces(*model, pool_.size());
}

int64_t Trainer::BatchSize(int64_t s) const {
  return std::min(batch_, static_cast<int64_t>(split_.train.size()) - s * batch_);
}

// Thread t's share of batch s: columns of the batch (rows of the epoch's order from s * batch_).
Columns Trainer::Share(int t, int64_t s) const {
  const int64_t b = BatchSize(s);
  const int64_t lo = t * b / pool_.size();
  return Columns{static_cast<int>(lo), static_cast<int>((t + 1) * b / pool_.size() - lo)};
}

// Batch s's inputs, inputs x BatchSize(s): in place, or the buffer PrepareInputs fills.
const float* Trainer::BatchInputs(int64_t s) {
  return in_place_ ? data_.x.data() : InputBuffer(s);
}

// With several threads two buffers alternate: batch s + 1 is gathered while other threads may
// still read batch s for the first layer's weight gradient.
float* Trainer::InputBuffer(int64_t s) {
  return ws_.x(static_cast<int>(s % ws_.input_buffers()));
}

// Gathers thread t's share of batch s's inputs and targets.
void Trainer::PrepareInputs(int t, int64_t s) {
  if (fixed_batch_ && prepared_) return;
  const Columns c = Share(t, s);
  const int64_t* rows = split_.train.data() + s * batch_ + c.lo;
  float* y = ws_.y() + c.lo;
  if (in_place_) {
    for (int j = 0; j < c.n; ++j) y[j] = data_.y[rows[j]];
    return;
  }
  float* x = InputBuffer(s) + static_cast<size_t>(c.lo) * data_.cols;
  GatherRows(data_.x.data(), data_.y.data(), data_.cols, rows, c.n, x, y);
}

// Thread t's share of the parameters: input columns [t * cols / T, (t + 1) * cols / T) of every
// layer's W, rounded so that shares start on a cache line, and layer k's biases when k % T == t.
void Trainer::UpdateLayers(int t, const float* x, int n, float lr, int64_t step) {
  const int threads = pool_.size();
  const ParameterLayout& layout = ws_.layout();
  const auto& layers = model_->layers();
  for (size_t k = 0; k < layers.size(); ++k) {
    const int64_t units = layers[k].w.rows(), cols = layers[k].w.cols();
    const int64_t align = 16 / std::gcd<int64_t>(units, 16);  // align * units floats: 64 B
    auto bound = [&](int i) {
      return std::min(cols, (i * cols / threads + align - 1) / align * align);
    };
    const int c0 = static_cast<int>(bound(t));
    const int c1 = static_cast<int>(t + 1 == threads ? cols : bound(t + 1));
    const bool bias = static_cast<int>(k % threads) == t;
    AddWeightGradient(*model_, k, x, n, c0, c1, bias, &ws_);
    optimizer_.Update(layout.w_offset[k] + c0 * units, (c1 - c0) * units, ws_.grad(), lr, step);
    if (bias) optimizer_.Update(layout.b_offset[k], units, ws_.grad(), lr, step);
  }
}

void Trainer::EpochWork(int t, float lr) {
  EpochSums& sums = sums_[t];
  sums = EpochSums();
  PrepareInputs(t, 0);
  for (int64_t s = 0; s < num_batches_; ++s) {
    const Columns c = Share(t, s);
    const int64_t b = BatchSize(s);
    const float* x = BatchInputs(s);
    if (c.n > 0) {
      Forward(*model_, x + static_cast<size_t>(c.lo) * data_.cols, c, &ws_);
      const BlockLoss bl = OutputLoss(*model_, config_.network.loss, c, 1.0f / b, &ws_);
      BackwardDeltas(*model_, c, &ws_);
      sums.loss += bl.loss_sum / b;
      sums.accuracy += static_cast<double>(bl.correct) / b;
    }
    pool_.Barrier();
    UpdateLayers(t, x, static_cast<int>(b), lr, step_ + s + 1);
    if (t == 0 && hooks_.stop != nullptr && hooks_.stop->load()) cancel_ = true;
    // The next batch's rows do not depend on the weights: gather them before waiting.
    if (s + 1 < num_batches_) PrepareInputs(t, s + 1);
    pool_.Barrier();
    sums.steps = s + 1;
    if (cancel_.load(std::memory_order_relaxed)) return;
  }
}

Metrics Trainer::RunEpoch(float lr) {
  if (!fixed_batch_) {
    std::vector<int64_t>& rows = split_.train;
    for (size_t i = rows.size() - 1; i > 0; --i)
      std::swap(rows[i], rows[shuffle_rng_.Below(i + 1)]);
  }
  pool_.Run([&](int t) { EpochWork(t, lr); });
  prepared_ = true;
  step_ += sums_[0].steps;
  Metrics m;
  double loss = 0, acc = 0;
  for (const EpochSums& s : sums_) loss += s.loss, acc += s.accuracy;
  m.loss = loss / std::max<int64_t>(1, sums_[0].steps);
  if (config_.network.loss == Loss::kCrossEntropy)
    m.accuracy = acc / std::max<int64_t>(1, sums_[0].steps);
  return m;
}

bool Trainer::Improved(const Metrics& val, double* best) const {
  const EarlyStoppingConfig& es = config_.early_stopping;
  if (es.metric == "val_accuracy") {
    if (!(val.accuracy > *best + es.min_delta) && !std::isnan(*best)) return false;
    if (std::isnan(val.accuracy)) return false;
    *best = val.accuracy;
    return true;
  }
  if (!(val.loss < *best - es.min_delta) && !std::isnan(*best)) return false;
  if (std::isnan(val.loss)) return false;
  *best = val.loss;
  return true;
}

StatusOr<TrainReport> Trainer::Run() {
  const Clock::time_point t0 = Clock::now();
  ScopedFlushDenormals ftz;
  const bool has_val = !split_.val.empty();
  const int patience = config_.early_stopping.patience;
  const Loss loss = config_.network.loss;
  TrainReport report;
  Mlp best;
  double best_value = kNoValue;
  int since_best = 0;
  for (int epoch = 1; epoch <= config_.epochs; ++epoch) {
    if (hooks_.stop != nullptr && hooks_.stop->load()) cancel_ = true;
    EpochRecord rec;
    rec.epoch = epoch;
    rec.learning_rate = ScheduledLearningRate(config_, epoch);
    const Clock::time_point e0 = Clock::now();
    if (!cancel_) rec.train = RunEpoch(static_cast<float>(rec.learning_rate));
    rec.seconds = Since(e0);
    if (cancel_) return Status::Cancelled("training stopped at epoch " + std::to_string(epoch));
    if (has_val) rec.val = EvaluateRows(*model_, data_, &split_.val, loss, &pool_, &eval_ws_);
    report.history.push_back(rec);
    if (hooks_.on_epoch) hooks_.on_epoch(rec);
    if (patience == 0) continue;
    if (Improved(rec.val, &best_value)) {
      best = *model_;
      report.best_epoch = epoch;
      since_best = 0;
    } else if (++since_best >= patience) {
      report.stopped_early = true;
      break;
    }
  }
  const int last = static_cast<int>(report.history.size());
  if (patience > 0 && report.best_epoch > 0 && report.best_epoch != last) {
    *model_ = best;
  } else {
    report.best_epoch = last;
  }
  report.train = EvaluateRows(*model_, data_, &split_.train, loss, &pool_, &eval_ws_);
  if (has_val) report.val = EvaluateRows(*model_, data_, &split_.val, loss, &pool_, &eval_ws_);
  report.seconds = Since(t0);
  return report;
}

}  // namespace

double ScheduledLearningRate(const TrainConfig& config, int epoch) {
  const double lr = config.optimizer.learning_rate;
  const ScheduleConfig& s = config.schedule;
  switch (s.kind) {
    case LrSchedule::kConstant:
      return lr;
    case LrSchedule::kStep:
      return lr * std::pow(static_cast<double>(s.gamma), (epoch - 1) / s.step_epochs);
    case LrSchedule::kCosine: {
      if (config.epochs <= 1) return lr;
      const double progress = static_cast<double>(epoch - 1) / (config.epochs - 1);
      return s.min_lr + (lr - s.min_lr) * 0.5 * (1.0 + std::cos(std::numbers::pi * progress));
    }
  }
  return lr;
}

StatusOr<TrainReport> Train(const TrainConfig& config, const Dataset& data, Mlp* model,
                            const TrainHooks& hooks) {
  SWEEP_CHECK(model != nullptr);
  if (config.device == Device::kCuda) {
    return Status::InvalidArgument("built without CUDA (device: cuda)");
  }
  SWEEP_RETURN_IF_ERROR(CheckData(config, data));
  SWEEP_ASSIGN_OR_RETURN(Split split,
                         SplitRows(data, config.data.validation_split, SubSeed(config.seed, 3)));
  const bool classify = config.network.loss == Loss::kCrossEntropy;
  *model = Mlp(data.cols, config.network.hidden, classify ? data.num_classes : 1,
               config.network.activation, classify ? OutputKind::kSoftmax : OutputKind::kLinear,
               config.network.init, SubSeed(config.seed, 1));
  Trainer trainer(config, data, std::move(split), model, hooks);
  return trainer.Run();
}

}  // namespace sweep::model
