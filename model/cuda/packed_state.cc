// PackedTrainer's pause points, checkpoints and resume (the CPU's trainer_state.cc and the hook
// handling of trainer.cc), row by row.
#include <algorithm>
#include <cmath>
#include <string>

#include "model/cuda/packed_trainer.h"
#include "model/trainer.h"

namespace sweep::model::cuda {
double PackedTrainer::Seconds(size_t r) const {
  return rows_[r].prior_seconds + SecondsSince(start_);
}

bool PackedTrainer::Stopping() const {
  for (const RowJob& j : jobs_) {
    if (j.hooks != nullptr && j.hooks->stop != nullptr && j.hooks->stop->load()) return true;
  }
  return false;
}

bool PackedTrainer::CheckpointDue(const Row& row, const RowJob& job) const {
  return job.hooks != nullptr && job.hooks->on_checkpoint && job.config->checkpoint.seconds > 0 &&
         SecondsSince(row.last_checkpoint) >= job.config->checkpoint.seconds;
}

bool PackedTrainer::NoticePending(const Row& row, const RowJob& job) const {
  return job.hooks != nullptr && job.hooks->on_checkpoint && job.hooks->checkpoint_now != nullptr &&
         !row.notice_saved && job.hooks->checkpoint_now->load();
}

bool PackedTrainer::PauseWanted() const {
  if (Stopping()) return true;
  for (size_t r = 0; r < rows_.size(); ++r) {
    if (rows_[r].result) continue;
    if (CheckpointDue(rows_[r], jobs_[r]) || NoticePending(rows_[r], jobs_[r])) return true;
  }
  return false;
}

Status PackedTrainer::DownloadState() {
  const int64_t bytes = k_ * layout_.size * static_cast<int64_t>(sizeof(float));
  SWEEP_RETURN_IF_ERROR(Download(params_h_.data(), buf_.params.data(), bytes));
  SWEEP_RETURN_IF_ERROR(Download(m_h_.data(), buf_.m.data(), bytes));
  SWEEP_RETURN_IF_ERROR(Download(v_h_.data(), buf_.v.data(), bytes));
  SWEEP_RETURN_IF_ERROR(Download(epoch_loss_h_.data(), buf_.epoch_loss.data(), k_ * 8));
  return Download(epoch_acc_h_.data(), buf_.epoch_acc.data(), k_ * 8);
}

Status PackedTrainer::Freeze(size_t r) {
  const int64_t frozen = -1;
  return Upload(static_cast<int64_t*>(buf_.diverged.data()) + r, &frozen, 8);
}

TrainState PackedTrainer::Capture(size_t r, int epoch, int64_t batches_done,
                                  double epoch_seconds) const {
  const Row& row = rows_[r];
  const int64_t p = layout_.size;
  const Optimizer kind = jobs_[r].config->optimizer.kind;
  TrainState s;
  s.epoch = epoch;
  s.batches_done = batches_done;
  s.steps = step_;
  s.threads = 1;
  s.train_order = row.order;
  s.shuffle_state = row.rng.state();
  s.thread_loss = {batches_done > 0 ? epoch_loss_h_[r] : 0};
  s.thread_accuracy = {batches_done > 0 ? epoch_acc_h_[r] : 0};
  s.epoch_seconds = epoch_seconds;
  auto slice = [&](const std::vector<float>& v) {
    return std::vector<float>(v.begin() + r * p, v.begin() + (r + 1) * p);
  };
  s.params = slice(params_h_);
  if (kind != Optimizer::kSgd) s.moment1 = slice(m_h_);
  if (kind == Optimizer::kAdam || kind == Optimizer::kAdamW) s.moment2 = slice(v_h_);
  s.best_value = row.best_value;
  s.since_best = row.since_best;
  s.best_epoch = row.report.best_epoch;
  if (jobs_[r].config->early_stopping.patience > 0 && s.best_epoch > 0) {
    s.best_params = row.best_params;
  }
  s.history = row.report.history;
  s.seconds = Seconds(r);
  return s;
}

// With `all`, every row still training; else the rows whose checkpoint is due (at an epoch's
// start: every epoch when checkpoint.seconds is 0).
Status PackedTrainer::Checkpoint(int epoch, int64_t batches_done, double epoch_seconds, bool all) {
  bool downloaded = false;
  for (size_t r = 0; r < rows_.size(); ++r) {
    Row& row = rows_[r];
    const RowJob& job = jobs_[r];
    if (row.result || job.hooks == nullptr || !job.hooks->on_checkpoint) continue;
    const bool every_epoch = batches_done == 0 && job.config->checkpoint.seconds == 0;
    const bool notice = NoticePending(row, job);
    if (!all && !every_epoch && !notice && !CheckpointDue(row, job)) continue;
    if (!downloaded) SWEEP_RETURN_IF_ERROR(DownloadState());
    downloaded = true;
    if (notice) row.notice_saved = true;
    job.hooks->on_checkpoint(Capture(r, epoch, batches_done, epoch_seconds));
    row.last_checkpoint = Clock::now();
  }
  return Status::Ok();
}

Status PackedTrainer::Paused(int epoch) {
  SWEEP_RETURN_IF_ERROR(Checkpoint(epoch + 1, 0, 0, true));
  for (size_t r = 0; r < rows_.size(); ++r) {
    Row& row = rows_[r];
    if (row.result) continue;
    TrainReport report = row.report;
    report.paused = true;
    report.train = report.history.back().train;
    report.val = report.history.back().val;
    report.best_epoch = 0;
    report.seconds = Seconds(r);
    row.result = std::move(report);
  }
  return Status::Ok();
}

void PackedTrainer::Cancel(const std::string& why) {
  for (Row& row : rows_) {
    if (!row.result) row.result = StatusOr<TrainReport>(Status::Cancelled(why));
  }
}

// Trainer::Restore for each row with a resume state, into the host copies; a row whose state
// does not fit fails alone (Corruption) and is frozen.
Status PackedTrainer::Restore() {
  const int64_t p = layout_.size;
  const int epochs = jobs_.front().config->epochs;
  for (size_t r = 0; r < rows_.size(); ++r) {
    const TrainHooks* h = jobs_[r].hooks;
    if (h == nullptr || h->resume == nullptr) continue;
    const TrainState& s = *h->resume;
    const Optimizer kind = jobs_[r].config->optimizer.kind;
    const size_t m_size = kind == Optimizer::kSgd ? 0 : p;
    const size_t v_size = kind == Optimizer::kAdam || kind == Optimizer::kAdamW ? p : 0;
    const Status fit = CheckStateFits(s, RunShape{p, m_size, v_size, &jobs_[r].train, epochs,
                                                  num_batches_, h->pause_after_epoch});
    if (!fit.ok()) {
      rows_[r].result = StatusOr<TrainReport>(fit);
      SWEEP_RETURN_IF_ERROR(Freeze(r));
      continue;
    }
    std::copy(s.params.begin(), s.params.end(), params_h_.begin() + r * p);
    std::copy(s.moment1.begin(), s.moment1.end(), m_h_.begin() + r * p);
    std::copy(s.moment2.begin(), s.moment2.end(), v_h_.begin() + r * p);
    rows_[r].order = s.train_order;
    rows_[r].rng = SplitMix64Rng(s.shuffle_state);
    rows_[r].report.history = s.history;
    rows_[r].report.best_epoch = s.best_epoch;
    rows_[r].best_value = s.best_value;
    rows_[r].since_best = s.since_best;
    rows_[r].best_params = s.best_params;
    rows_[r].prior_seconds = s.seconds;
    epoch_loss_h_[r] = epoch_acc_h_[r] = 0;
    for (double v : s.thread_loss) epoch_loss_h_[r] += v;
    for (double v : s.thread_accuracy) epoch_acc_h_[r] += v;
    step_ = s.steps;
    first_epoch_ = s.epoch;
    resume_batches_ = s.batches_done;
    resume_epoch_seconds_ = s.epoch_seconds;
  }
  return Status::Ok();
}

}  // namespace sweep::model::cuda
