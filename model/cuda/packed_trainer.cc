// PackedTrainer's setup, forward/backward passes and epoch loop (the CPU's Trainer::Run).
#include "model/cuda/packed_trainer.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

#include "base/check.h"
#include "model/trainer.h"

namespace sweep::model::cuda {
namespace {

static_assert(kMaxRows == kMaxPackedRows, "device.h and train_cuda.h disagree on the row limit");

// Rows per block when evaluating (and at least one batch): the buffers' column count.
constexpr int64_t kEvalColumns = 1024;

}  // namespace

PackedTrainer::PackedTrainer(const Dataset& data, std::vector<RowJob>& rows)
    : data_(data),
      jobs_(rows),
      rows_(rows.size()),
      k_(static_cast<int>(rows.size())),
      layout_(*rows.front().model),
      classify_(rows.front().config->network.loss == Loss::kCrossEntropy),
      num_train_(static_cast<int64_t>(rows.front().train.size())),
      num_val_(static_cast<int64_t>(rows.front().val.size())) {
  SWEEP_CHECK(k_ >= 1 && k_ <= kMaxPackedRows);
  const TrainConfig& c = *rows.front().config;
  batch_ = c.batch_size == 0 ? num_train_ : std::min<int64_t>(c.batch_size, num_train_);
  num_batches_ = (num_train_ + batch_ - 1) / batch_;
  cap_ = std::max(batch_, std::min(kEvalColumns, std::max(num_train_, num_val_)));
  for (const DenseLayer& l : rows.front().model->layers()) {
    units_.push_back(static_cast<int>(l.w.rows()));
    widest_ = std::max(widest_, units_.back());
  }
  classes_ = units_.back();
  act_ = static_cast<int>(c.network.activation);
  for (size_t r = 0; r < rows.size(); ++r) {
    rows_[r].order = rows[r].train;
    rows_[r].rng = SplitMix64Rng(SubSeed(rows[r].config->seed, 2));
  }
}

Status PackedTrainer::Setup() {
  SWEEP_RETURN_IF_ERROR(CheckDevice());
  if (data_.rows > INT32_MAX) {  // the uploaded batch orders are int32
    return Status::InvalidArgument("device: cuda trains data sets of up to 2^31 - 1 rows, got " +
                                   std::to_string(data_.rows));
  }
  SWEEP_ASSIGN_OR_RETURN(blas_, Blas::Create());
  const int64_t p = layout_.size, f = sizeof(float), d = sizeof(double);
  auto alloc = [](int64_t bytes, DeviceBuffer* out) -> Status {
    SWEEP_ASSIGN_OR_RETURN(*out, DeviceBuffer::Alloc(bytes));
    return Status::Ok();
  };
  SWEEP_RETURN_IF_ERROR(alloc(static_cast<int64_t>(data_.x.size()) * f, &buf_.data_x));
  SWEEP_RETURN_IF_ERROR(alloc(static_cast<int64_t>(data_.y.size()) * f, &buf_.data_y));
  SWEEP_RETURN_IF_ERROR(Upload(buf_.data_x.data(), data_.x.data(), buf_.data_x.bytes()));
  SWEEP_RETURN_IF_ERROR(Upload(buf_.data_y.data(), data_.y.data(), buf_.data_y.bytes()));
  for (DeviceBuffer* b : {&buf_.params, &buf_.grad, &buf_.m, &buf_.v}) {
    SWEEP_RETURN_IF_ERROR(alloc(k_ * p * f, b));
  }
  SWEEP_RETURN_IF_ERROR(alloc(p, &buf_.decay));
  SWEEP_RETURN_IF_ERROR(alloc(k_ * std::max(num_train_, num_val_) * 4, &buf_.idx));
  SWEEP_RETURN_IF_ERROR(alloc(k_ * cap_ * data_.cols * f, &buf_.x));
  for (DeviceBuffer* b : {&buf_.y, &buf_.loss, &buf_.correct}) {
    SWEEP_RETURN_IF_ERROR(alloc(k_ * cap_ * f, b));
  }
  for (DeviceBuffer& b : buf_.d) SWEEP_RETURN_IF_ERROR(alloc(k_ * cap_ * widest_ * f, &b));
  buf_.a.resize(units_.size());
  for (size_t l = 0; l < units_.size(); ++l) {
    SWEEP_RETURN_IF_ERROR(alloc(k_ * cap_ * units_[l] * f, &buf_.a[l]));
  }
  SWEEP_RETURN_IF_ERROR(alloc(cap_ * f, &buf_.ones));
  for (DeviceBuffer* b : {&buf_.epoch_loss, &buf_.epoch_acc, &buf_.eval_loss, &buf_.eval_acc,
                          &buf_.diverged, &buf_.diverged_loss}) {
    SWEEP_RETURN_IF_ERROR(alloc(k_ * d, b));
  }
  const std::vector<float> ones(cap_, 1.0f);
  SWEEP_RETURN_IF_ERROR(Upload(buf_.ones.data(), ones.data(), cap_ * f));
  std::vector<unsigned char> decay(p, 0);
  for (size_t l = 0; l < units_.size(); ++l) {
    std::fill(decay.begin() + layout_.w_offset[l], decay.begin() + layout_.b_offset[l], 1);
  }
  SWEEP_RETURN_IF_ERROR(Upload(buf_.decay.data(), decay.data(), p));
  params_h_.resize(k_ * p);
  for (int r = 0; r < k_; ++r) {
    const std::vector<float> flat = jobs_[r].model->FlatParameters();
    std::copy(flat.begin(), flat.end(), params_h_.begin() + r * p);
  }
  m_h_.assign(k_ * p, 0.0f);
  v_h_.assign(k_ * p, 0.0f);
  epoch_loss_h_.assign(k_, 0.0);
  epoch_acc_h_.assign(k_, 0.0);
  SWEEP_RETURN_IF_ERROR(Restore());  // host copies from the resume states, if any
  SWEEP_RETURN_IF_ERROR(Upload(buf_.params.data(), params_h_.data(), k_ * p * f));
  SWEEP_RETURN_IF_ERROR(Upload(buf_.m.data(), m_h_.data(), k_ * p * f));
  return Upload(buf_.v.data(), v_h_.data(), k_ * p * f);
}

// Batches [first, num_batches_) until one of them asks for a pause; *done = batches done.
Status PackedTrainer::RunBatches(const std::vector<float>& lr, int64_t first, int64_t* done) {
  for (int64_t s = first; s < num_batches_; ++s) {
    SWEEP_RETURN_IF_ERROR(Step(lr, s));
    *done = s + 1;
    if (PauseWanted()) break;
  }
  return Synchronize();
}

// One epoch (or its rest, resumed): *done batches, *seconds of training.
Status PackedTrainer::TrainEpoch(int epoch, int64_t* done, double* seconds) {
  std::vector<float> lr(k_);
  for (int r = 0; r < k_; ++r) {
    lr[r] = static_cast<float>(ScheduledLearningRate(*jobs_[r].config, epoch));
  }
  for (;;) {
    const Clock::time_point e0 = Clock::now();
    SWEEP_RETURN_IF_ERROR(RunBatches(lr, *done, done));
    *seconds += SecondsSince(e0);
    if (*done == num_batches_) return EndEpoch(epoch, *seconds);
    SWEEP_RETURN_IF_ERROR(Checkpoint(epoch, *done, *seconds, Stopping()));
    if (Stopping()) {
      Cancel("training stopped at epoch " + std::to_string(epoch) + " step " +
             std::to_string(*done));
      return Status::Ok();
    }
  }
}

// The epoch's records, divergence and validation per row, as Trainer::Run after its batches.
Status PackedTrainer::EndEpoch(int epoch, double seconds) {
  std::vector<int64_t> diverged(k_);
  std::vector<double> diverged_loss(k_);
  SWEEP_RETURN_IF_ERROR(Download(diverged.data(), buf_.diverged.data(), k_ * 8));
  SWEEP_RETURN_IF_ERROR(Download(diverged_loss.data(), buf_.diverged_loss.data(), k_ * 8));
  SWEEP_RETURN_IF_ERROR(Download(epoch_loss_h_.data(), buf_.epoch_loss.data(), k_ * 8));
  SWEEP_RETURN_IF_ERROR(Download(epoch_acc_h_.data(), buf_.epoch_acc.data(), k_ * 8));
  step_ += num_batches_;
  std::vector<Metrics> val(k_);
  if (num_val_ > 0) {
    SWEEP_ASSIGN_OR_RETURN(val, Evaluate(true));
  }
  std::vector<char> stopped(k_, 0);
  bool downloaded = false;
  for (int r = 0; r < k_; ++r) {
    Row& row = rows_[r];
    if (row.result) continue;
    if (diverged[r] > 0) {
      row.report.seconds = Seconds(r);
      row.result =
          DivergedReport(std::move(row.report), epoch, diverged[r], "train", diverged_loss[r]);
      continue;
    }
    EpochRecord rec;
    rec.epoch = epoch;
    rec.learning_rate = ScheduledLearningRate(*jobs_[r].config, epoch);
    rec.seconds = seconds;
    rec.train.loss = epoch_loss_h_[r] / num_batches_;
    if (classify_) rec.train.accuracy = epoch_acc_h_[r] / num_batches_;
    rec.val = val[r];
    if (num_val_ > 0 && !std::isfinite(rec.val.loss)) {
      row.report.seconds = Seconds(r);
      row.result = DivergedReport(std::move(row.report), epoch, step_, "val", rec.val.loss);
      SWEEP_RETURN_IF_ERROR(Freeze(r));
      continue;
    }
    row.report.history.push_back(rec);
    if (jobs_[r].hooks != nullptr && jobs_[r].hooks->on_epoch) jobs_[r].hooks->on_epoch(rec);
    bool stop = false;
    SWEEP_RETURN_IF_ERROR(EarlyStop(r, rec, &downloaded, &stop));
    stopped[r] = stop;
  }
  if (std::find(stopped.begin(), stopped.end(), 1) == stopped.end()) return Status::Ok();
  return Finish(stopped);
}

// Trainer::EndEpoch's early stopping for row r: keeps the best weights (copied from the device
// once per epoch, *downloaded), sets *stop and freezes the row when patience runs out.
Status PackedTrainer::EarlyStop(size_t r, const EpochRecord& rec, bool* downloaded, bool* stop) {
  const EarlyStoppingConfig& es = jobs_[r].config->early_stopping;
  if (es.patience == 0) return Status::Ok();
  Row& row = rows_[r];
  const bool by_accuracy = es.metric == EarlyStoppingMetric::kValAccuracy;
  const double value = by_accuracy ? rec.val.accuracy : rec.val.loss;
  bool improved = !std::isnan(value);
  if (improved && !std::isnan(row.best_value)) {
    improved =
        by_accuracy ? value > row.best_value + es.min_delta : value < row.best_value - es.min_delta;
  }
  if (improved) {
    if (!*downloaded) SWEEP_RETURN_IF_ERROR(DownloadState());
    *downloaded = true;
    const int64_t p = layout_.size;
    row.best_value = value;
    row.best_params.assign(params_h_.begin() + r * p, params_h_.begin() + (r + 1) * p);
    row.report.best_epoch = rec.epoch;
    row.since_best = 0;
    return Status::Ok();
  }
  if (++row.since_best < es.patience) return Status::Ok();
  row.report.stopped_early = true;
  *stop = true;
  return Freeze(r);
}

Status PackedTrainer::Loop() {
  const int epochs = jobs_.front().config->epochs;
  const int pause = jobs_.front().hooks ? jobs_.front().hooks->pause_after_epoch : 0;
  if (pause > 0 && pause < epochs && first_epoch_ == pause + 1) return Paused(pause);
  const bool fixed_batch = num_batches_ == 1;
  for (int epoch = first_epoch_; epoch <= epochs; ++epoch) {
    const bool resumed = epoch == first_epoch_ && resume_batches_ > 0;
    if (Stopping()) {  // as the CPU trainer: a run resumed mid-epoch is still at that point
      SWEEP_RETURN_IF_ERROR(Checkpoint(epoch, resumed ? resume_batches_ : 0,
                                       resumed ? resume_epoch_seconds_ : 0, true));
      Cancel("training stopped before epoch " + std::to_string(epoch));
      return Status::Ok();
    }
    if (!resumed) {
      for (Row& row : rows_) {
        std::vector<int64_t>& o = row.order;
        for (size_t i = o.size() - 1; !fixed_batch && i > 0; --i) {
          std::swap(o[i], o[UniformBelow(row.rng, i + 1)]);
        }
      }
      std::fill(epoch_loss_h_.begin(), epoch_loss_h_.end(), 0.0);
      std::fill(epoch_acc_h_.begin(), epoch_acc_h_.end(), 0.0);
    }
    std::vector<std::vector<int64_t>*> lists;
    for (Row& row : rows_) lists.push_back(&row.order);
    SWEEP_RETURN_IF_ERROR(UploadOrder(lists));
    SWEEP_RETURN_IF_ERROR(Upload(buf_.epoch_loss.data(), epoch_loss_h_.data(), k_ * 8));
    SWEEP_RETURN_IF_ERROR(Upload(buf_.epoch_acc.data(), epoch_acc_h_.data(), k_ * 8));
    int64_t done = resumed ? resume_batches_ : 0;
    double seconds = resumed ? resume_epoch_seconds_ : 0;
    SWEEP_RETURN_IF_ERROR(TrainEpoch(epoch, &done, &seconds));
    if (done < num_batches_) return Status::Ok();  // cancelled
    if (std::all_of(rows_.begin(), rows_.end(),
                    [](const Row& r) { return r.result.has_value(); })) {
      return Status::Ok();
    }
    if (epoch == pause && epoch < epochs) return Paused(epoch);
    if (epoch < epochs) SWEEP_RETURN_IF_ERROR(Checkpoint(epoch + 1, 0, 0, false));
  }
  return Finish();
}

Status PackedTrainer::Finish(const std::vector<char>& which) {
  auto chosen = [&](int r) { return !rows_[r].result && (which.empty() || which[r]); };
  const int64_t p = layout_.size;
  // Early stopping ends on the best epoch's weights (Trainer::Finish).
  for (int r = 0; r < k_; ++r) {
    const int best = rows_[r].report.best_epoch;
    const bool restore = jobs_[r].config->early_stopping.patience > 0 && best > 0 &&
                         best != static_cast<int>(rows_[r].report.history.size());
    if (!chosen(r) || !restore) continue;
    SWEEP_RETURN_IF_ERROR(Upload(buf_.params.f() + r * p, rows_[r].best_params.data(), p * 4));
  }
  SWEEP_ASSIGN_OR_RETURN(const std::vector<Metrics> train, Evaluate(false));
  std::vector<Metrics> val(k_);
  if (num_val_ > 0) {
    SWEEP_ASSIGN_OR_RETURN(val, Evaluate(true));
  }
  for (int r = 0; r < k_; ++r) {
    if (!chosen(r)) continue;
    Row& row = rows_[r];
    TrainReport& rep = row.report;
    const int last = static_cast<int>(rep.history.size());
    if (jobs_[r].config->early_stopping.patience == 0 || rep.best_epoch == 0) rep.best_epoch = last;
    rep.train = train[r];
    rep.seconds = Seconds(r);
    if (const double loss = rep.train.loss; !std::isfinite(loss)) {
      row.result = DivergedReport(std::move(rep), last, step_, "train", loss);
      continue;
    }
    rep.val = val[r];
    row.result = std::move(rep);
  }
  return Status::Ok();
}

void PackedTrainer::Fail(const Status& s) {
  for (Row& row : rows_) {
    if (!row.result) row.result = StatusOr<TrainReport>(s.WithContext("device: cuda"));
  }
}

std::vector<StatusOr<TrainReport>> PackedTrainer::Run() {
  start_ = Clock::now();
  for (Row& row : rows_) row.last_checkpoint = start_;
  Status s = Setup();
  if (s.ok()) s = Loop();
  // The weights go back to every row's model, as the CPU path leaves them (diverged, paused,
  // cancelled or done).
  if (s.ok()) s = DownloadState();
  if (s.ok()) {
    const int64_t p = layout_.size;
    for (int r = 0; r < k_; ++r) {
      jobs_[r].model->SetFlatParameters(
          std::vector<float>(params_h_.begin() + r * p, params_h_.begin() + (r + 1) * p));
    }
  }
  if (!s.ok()) Fail(s);
  std::vector<StatusOr<TrainReport>> out;
  for (Row& row : rows_) {
    out.push_back(row.result
                      ? std::move(*row.result)
                      : StatusOr<TrainReport>(Status::Internal("row left without a result")));
  }
  return out;
}

std::vector<StatusOr<TrainReport>> TrainRows(const Dataset& data, std::vector<RowJob>& rows) {
  PackedTrainer trainer(data, rows);
  return trainer.Run();
}

bool DevicePresent() { return CheckDevice().ok(); }

Status CheckDeviceUsable() { return CheckDevice(); }

}  // namespace sweep::model::cuda
