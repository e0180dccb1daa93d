#include "model/train.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <numbers>
#include <string>

#include "base/cpu.h"
#include "base/random.h"
#include "model/evaluate.h"
#include "model/kernels.h"
#include "model/optimizer.h"
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
    SplitMix64Rng rng(seed);
    for (int64_t i = data.rows - 1; i > 0; --i) {
      std::swap(order[i], order[UniformBelow(rng, i + 1)]);
    }
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

class Trainer {
 public:
  Trainer(const TrainConfig& config, const Dataset& data, Split split, Mlp* model,
          const TrainHooks& hooks);
  StatusOr<TrainReport> Run();

 private:
  void Slice(int t, int64_t s, int64_t* lo, int* n, int64_t* b) const;
  void EpochWork(int t, float lr);
  const float* SliceInputs(int t, int64_t lo, int n);
  Metrics RunEpoch(float lr);
  bool Improved(const Metrics& val, double* best) const;
  TrainReport Diverged(TrainReport report, int epoch, int64_t step, const char* split,
                       double loss) const;

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
  int64_t step_ = 0;
  std::atomic<bool> cancel_{false};
  std::atomic<int64_t> diverged_step_{0};  // the first step with a non-finite batch loss; 0 = none
  double diverged_loss_ = 0;               // that loss (NaN or inf)
  Clock::time_point start_ = Clock::now();
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
      pool_(TrainingThreads(config.threads, batch_, model->ParameterCount())),
      gathered_(pool_.size(), 0),
      sums_(pool_.size()),
      optimizer_(config.optimizer, model, pool_.size()),
      shuffle_rng_(SubSeed(config.seed, 2)) {
  const int max_slice = static_cast<int>((batch_ + pool_.size() - 1) / pool_.size());
  for (int t = 0; t < pool_.size(); ++t) ws_.emplace_back(*model, max_slice);
  for (Workspace& w : ws_) grads_.push_back(w.grad());
  eval_ws_ = MakeEvalWorkspaces(*model, pool_.size());
}

// Inputs of thread t's slice [lo, lo + n) of the epoch's row order.
const float* Trainer::SliceInputs(int t, int64_t lo, int n) {
  Workspace& ws = ws_[t];
  const std::vector<int64_t>& rows = split_.train;
  const size_t cols = static_cast<size_t>(data_.cols);
  if (fixed_batch_ && gathered_[t]) return gathered_[t] == 2 ? data_.x.data() + lo * cols : ws.x();
  // Without a validation split one fixed batch is the data itself, in order: no copy.
  if (fixed_batch_ && split_.val.empty()) {
    for (int j = 0; j < n; ++j) ws.y()[j] = data_.y[rows[lo + j]];
    gathered_[t] = 2;
    return data_.x.data() + lo * cols;
  }
  GatherRows(data_.x.data(), data_.y.data(), data_.cols, rows.data() + lo, n, &ws);
  gathered_[t] = 1;
  return ws.x();
}

// Thread t's share [lo, lo + n) of batch s, whose size is *b.
void Trainer::Slice(int t, int64_t s, int64_t* lo, int* n, int64_t* b) const {
  const int64_t start = s * batch_, rows = static_cast<int64_t>(split_.train.size());
  *b = std::min(batch_, rows - start);
  *lo = start + t * *b / pool_.size();
  *n = static_cast<int>(start + (t + 1) * *b / pool_.size() - *lo);
}

void Trainer::EpochWork(int t, float lr) {
  Workspace& ws = ws_[t];
  EpochSums& sums = sums_[t];
  sums = EpochSums();
  int64_t lo, b;
  int n;
  Slice(t, 0, &lo, &n, &b);
  const float* x = n > 0 ? SliceInputs(t, lo, n) : nullptr;
  for (int64_t s = 0; s < num_batches_; ++s) {
    if (n > 0) {
      Forward(*model_, x, n, &ws);
      const BlockLoss bl = OutputLoss(*model_, config_.network.loss, n, 1.0f / b, &ws);
      Backward(*model_, x, n, &ws);
      sums.loss += bl.loss_sum / b;
      sums.accuracy += static_cast<double>(bl.correct) / b;
      // One scalar test per thread and step: a NaN or inf anywhere in the block reaches the
      // block's loss sum.
      if (!std::isfinite(bl.loss_sum)) {
        int64_t none = 0;
        if (diverged_step_.compare_exchange_strong(none, step_ + s + 1)) {
          diverged_loss_ = bl.loss_sum;  // by the one thread that won; read after the join
        }
      }
    } else {
      std::fill_n(ws.grad(), ws.layout().size, 0.0f);
    }
    pool_.Barrier();
    // Every thread reads the same value here (written before the barrier, none after it until
    // the next step's): they all stop together, before an update with non-finite gradients.
    if (diverged_step_.load(std::memory_order_relaxed) != 0) return;
    optimizer_.Update(t, grads_.data(), pool_.size(), lr, step_ + s + 1);
    if (t == 0 && hooks_.stop != nullptr && hooks_.stop->load()) cancel_ = true;
    // The next batch's rows do not depend on the weights: gather them before waiting.
    if (s + 1 < num_batches_) {
      Slice(t, s + 1, &lo, &n, &b);
      if (n > 0) x = SliceInputs(t, lo, n);
    }
    pool_.Barrier();
    sums.steps = s + 1;
    if (cancel_.load(std::memory_order_relaxed)) return;
  }
}

Metrics Trainer::RunEpoch(float lr) {
  if (!fixed_batch_) {
    std::vector<int64_t>& rows = split_.train;
    for (size_t i = rows.size() - 1; i > 0; --i)
      std::swap(rows[i], rows[UniformBelow(shuffle_rng_, i + 1)]);
  }
  pool_.Run([&](int t) { EpochWork(t, lr); });
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
  if (es.metric == EarlyStoppingMetric::kValAccuracy) {
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

// "nan", "inf" or "-inf": printf's spelling of NaN depends on its sign bit ("-nan").
std::string NonFiniteText(double v) {
  if (std::isnan(v)) return "nan";
  return v > 0 ? "inf" : "-inf";
}

TrainReport Trainer::Diverged(TrainReport report, int epoch, int64_t step, const char* split,
                              double loss) const {
  report.diverged = Divergence{epoch, step, std::string(split) + " loss " + NonFiniteText(loss)};
  report.train = report.val = Metrics();
  report.best_epoch = 0;
  if (!report.history.empty()) {
    report.train = report.history.back().train;
    report.val = report.history.back().val;
    report.best_epoch = report.history.back().epoch;
  }
  report.stopped_early = false;
  report.seconds = Since(start_);
  return report;
}

StatusOr<TrainReport> Trainer::Run() {
  start_ = Clock::now();
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
    if (const int64_t step = diverged_step_.load(); step != 0) {
      return Diverged(std::move(report), epoch, step, "train", diverged_loss_);
    }
    if (has_val) rec.val = EvaluateRows(*model_, data_, &split_.val, loss, &pool_, &eval_ws_);
    if (has_val && !std::isfinite(rec.val.loss)) {
      return Diverged(std::move(report), epoch, step_, "val", rec.val.loss);
    }
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
  // The last update can make the weights non-finite after the last batch loss was finite.
  if (const double final_loss = report.train.loss; !std::isfinite(final_loss)) {
    return Diverged(std::move(report), last, step_, "train", final_loss);
  }
  if (has_val) report.val = EvaluateRows(*model_, data_, &split_.val, loss, &pool_, &eval_ws_);
  report.seconds = Since(start_);
  return report;
}

}  // namespace

std::string DescribeDivergence(const Divergence& d) {
  return "diverged at epoch " + std::to_string(d.epoch) + " (step " + std::to_string(d.step) +
         "): " + d.what;
}

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
  SWEEP_RETURN_IF_ERROR(CheckDeviceBuilt(config.device));
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
