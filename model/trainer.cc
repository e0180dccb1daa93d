#include "model/trainer.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "base/cpu.h"
#include "base/log.h"
#include "model/evaluate.h"

namespace sweep::model {
namespace {

// "nan", "inf" or "-inf": printf's spelling of NaN depends on its sign bit ("-nan").
std::string NonFiniteText(double v) {
  if (std::isnan(v)) return "nan";
  return v > 0 ? "inf" : "-inf";
}

}  // namespace

double SecondsSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

int TrainingThreads(int requested, int64_t batch, int64_t params) {
  const int64_t t = requested > 0 ? requested : AvailableCpus();
  const int64_t by_work = batch * params / (1 << 19);
  return static_cast<int>(std::max<int64_t>(1, std::min({t, batch / 8, by_work})));
}

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

// Batches [first, num_batches_) of the epoch, until a pause.
void Trainer::EpochWork(int t, float lr, int64_t first) {
  Workspace& ws = ws_[t];
  EpochSums& sums = sums_[t];
  int64_t lo, b;
  int n;
  Slice(t, first, &lo, &n, &b);
  const float* x = n > 0 ? SliceInputs(t, lo, n) : nullptr;
  for (int64_t s = first; s < num_batches_; ++s) {
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
    if (t == 0 && PauseWanted()) pause_ = true;
    // The next batch's rows do not depend on the weights: gather them before waiting.
    if (s + 1 < num_batches_) {
      Slice(t, s + 1, &lo, &n, &b);
      if (n > 0) x = SliceInputs(t, lo, n);
    }
    pool_.Barrier();
    sums.steps = s + 1;
    if (pause_.load(std::memory_order_relaxed)) return;
  }
}

void Trainer::StartEpoch() {
  if (!fixed_batch_) {
    std::vector<int64_t>& rows = split_.train;
    for (size_t i = rows.size() - 1; i > 0; --i)
      std::swap(rows[i], rows[UniformBelow(shuffle_rng_, i + 1)]);
  }
  for (EpochSums& s : sums_) s = EpochSums();
}

int64_t Trainer::RunBatches(float lr, int64_t first) {
  pause_ = false;
  pool_.Run([&](int t) { EpochWork(t, lr, first); });
  return sums_[0].steps;
}

Metrics Trainer::EpochMetrics() const {
  Metrics m;
  double loss = 0, acc = 0;
  for (const EpochSums& s : sums_) loss += s.loss, acc += s.accuracy;
  m.loss = loss / std::max<int64_t>(1, sums_[0].steps);
  if (config_.network.loss == Loss::kCrossEntropy)
    m.accuracy = acc / std::max<int64_t>(1, sums_[0].steps);
  return m;
}

bool Trainer::CheckpointDue() const {
  return hooks_.on_checkpoint && config_.checkpoint.seconds > 0 &&
         SecondsSince(last_checkpoint_) >= config_.checkpoint.seconds;
}

bool Trainer::NoticePending() const {
  return hooks_.on_checkpoint && hooks_.checkpoint_now != nullptr && !notice_saved_ &&
         hooks_.checkpoint_now->load();
}

bool Trainer::PauseWanted() const { return Stopping() || CheckpointDue() || NoticePending(); }

void Trainer::Checkpoint(int epoch, int64_t batches_done, double epoch_seconds) {
  if (!hooks_.on_checkpoint) return;
  if (NoticePending()) notice_saved_ = true;
  hooks_.on_checkpoint(Capture(epoch, batches_done, epoch_seconds));
  last_checkpoint_ = Clock::now();
}

bool Trainer::Improved(const Metrics& val) {
  const EarlyStoppingConfig& es = config_.early_stopping;
  const bool by_accuracy = es.metric == EarlyStoppingMetric::kValAccuracy;
  const double value = by_accuracy ? val.accuracy : val.loss;
  if (std::isnan(value)) return false;
  if (!std::isnan(best_value_)) {
    if (by_accuracy && !(value > best_value_ + es.min_delta)) return false;
    if (!by_accuracy && !(value < best_value_ - es.min_delta)) return false;
  }
  best_value_ = value;
  return true;
}

bool Trainer::EndEpoch(const EpochRecord& rec) {
  report_.history.push_back(rec);
  if (hooks_.on_epoch) hooks_.on_epoch(rec);
  if (config_.early_stopping.patience == 0) return false;
  if (Improved(rec.val)) {
    best_ = *model_;
    report_.best_epoch = rec.epoch;
    since_best_ = 0;
    return false;
  }
  if (++since_best_ < config_.early_stopping.patience) return false;
  report_.stopped_early = true;
  return true;
}

double Trainer::Seconds() const { return prior_seconds_ + SecondsSince(start_); }

TrainReport DivergedReport(TrainReport report, int epoch, int64_t step, const char* split,
                           double loss) {
  report.diverged = Divergence{epoch, step, std::string(split) + " loss " + NonFiniteText(loss)};
  report.train = report.val = Metrics();
  report.best_epoch = 0;
  if (!report.history.empty()) {
    report.train = report.history.back().train;
    report.val = report.history.back().val;
    report.best_epoch = report.history.back().epoch;
  }
  report.stopped_early = false;
  return report;
}

TrainReport Trainer::Diverged(int epoch, int64_t step, const char* split, double loss) {
  TrainReport report = DivergedReport(std::move(report_), epoch, step, split, loss);
  report.seconds = Seconds();
  return report;
}

StatusOr<TrainReport> Trainer::Run() {
  start_ = last_checkpoint_ = Clock::now();
  ScopedFlushDenormals ftz;
  const bool has_val = !split_.val.empty();
  // Resumed exactly at the pause (it paused, then the process died before its caller published):
  // the same paused report again, nothing trained.
  const int pause = hooks_.pause_after_epoch;
  if (pause > 0 && pause < config_.epochs && first_epoch_ == pause + 1) return Paused(pause);
  for (int epoch = first_epoch_; epoch <= config_.epochs; ++epoch) {
    const bool resumed = epoch == first_epoch_ && resume_batches_ > 0;
    if (Stopping()) {
      // A run resumed mid-epoch and stopped before its first batch is still at that point:
      // saving it as the epoch's start would replay the steps its weights already took.
      Checkpoint(epoch, resumed ? resume_batches_ : 0, resumed ? resume_epoch_seconds_ : 0);
      return Status::Cancelled("training stopped before epoch " + std::to_string(epoch));
    }
    EpochRecord rec;
    rec.epoch = epoch;
    rec.learning_rate = ScheduledLearningRate(config_, epoch);
    if (!resumed) StartEpoch();
    int64_t done = resumed ? resume_batches_ : 0;
    rec.seconds = resumed ? resume_epoch_seconds_ : 0;
    for (;;) {
      const Clock::time_point e0 = Clock::now();
      done = RunBatches(static_cast<float>(rec.learning_rate), done);
      rec.seconds += SecondsSince(e0);
      if (const int64_t step = diverged_step_.load(); step != 0) {
        return Diverged(epoch, step, "train", diverged_loss_);
      }
      if (done == num_batches_) break;
      Checkpoint(epoch, done, rec.seconds);
      if (Stopping()) {
        return Status::Cancelled("training stopped at epoch " + std::to_string(epoch) + " step " +
                                 std::to_string(done));
      }
    }
    rec.train = EpochMetrics();
    step_ += num_batches_;
    if (has_val) {
      rec.val = EvaluateRows(*model_, data_, &split_.val, config_.network.loss, &pool_, &eval_ws_);
      if (!std::isfinite(rec.val.loss)) return Diverged(epoch, step_, "val", rec.val.loss);
    }
    if (EndEpoch(rec)) break;
    if (epoch == hooks_.pause_after_epoch && epoch < config_.epochs) return Paused(epoch);
    const bool every_epoch = config_.checkpoint.seconds == 0 && hooks_.on_checkpoint;
    if (epoch < config_.epochs && (every_epoch || CheckpointDue() || NoticePending())) {
      Checkpoint(epoch + 1, 0, 0);
    }
  }
  return Finish();
}

TrainReport Trainer::Paused(int epoch) {
  Checkpoint(epoch + 1, 0, 0);
  TrainReport report = report_;  // a copy: a later Run would go on with report_
  report.paused = true;
  report.train = report.history.back().train;
  report.val = report.history.back().val;
  report.best_epoch = 0;
  report.seconds = Seconds();
  return report;
}

StatusOr<TrainReport> Trainer::Finish() {
  const Loss loss = config_.network.loss;
  const int last = static_cast<int>(report_.history.size());
  if (config_.early_stopping.patience > 0 && report_.best_epoch > 0 && report_.best_epoch != last) {
    *model_ = best_;
  } else {
    report_.best_epoch = last;
  }
  report_.train = EvaluateRows(*model_, data_, &split_.train, loss, &pool_, &eval_ws_);
  // The last update can make the weights non-finite after the last batch loss was finite.
  if (const double final_loss = report_.train.loss; !std::isfinite(final_loss)) {
    return Diverged(last, step_, "train", final_loss);
  }
  if (!split_.val.empty()) {
    report_.val = EvaluateRows(*model_, data_, &split_.val, loss, &pool_, &eval_ws_);
  }
  report_.seconds = Seconds();
  return std::move(report_);
}

}  // namespace sweep::model
