// Trainer::Capture and Trainer::Restore: the paused run as a TrainState and back.
#include <algorithm>
#include <string>

#include "base/log.h"
#include "model/trainer.h"

namespace sweep::model {
namespace {

// Whether `order` holds exactly the rows of `rows` (in any order).
bool SameRows(std::vector<int64_t> order, std::vector<int64_t> rows) {
  if (order.size() != rows.size()) return false;
  std::sort(order.begin(), order.end());
  std::sort(rows.begin(), rows.end());
  return order == rows;
}

Status Misfit(const std::string& what) {
  return Status::Corruption("checkpoint does not fit this row: " + what);
}

}  // namespace

Status CheckStateFits(const TrainState& s, const RunShape& run) {
  if (static_cast<int64_t>(s.params.size()) != run.params) {
    return Misfit(std::to_string(s.params.size()) + " weights, the model has " +
                  std::to_string(run.params));
  }
  if (s.moment1.size() != run.moment1 || s.moment2.size() != run.moment2) {
    return Misfit("optimizer state of another optimizer");
  }
  if (!SameRows(s.train_order, *run.train)) return Misfit("other training rows");
  if (s.epoch > run.epochs || s.batches_done >= run.batches ||
      s.history.size() != static_cast<size_t>(s.epoch - 1) || s.best_epoch >= s.epoch) {
    return Misfit("epoch " + std::to_string(s.epoch) + " step " + std::to_string(s.batches_done) +
                  " is not a point of this run");
  }
  // A state past the pause (a later rung's checkpoint) cannot give the record at the band.
  if (run.pause > 0 && run.pause < run.epochs &&
      (s.epoch > run.pause + 1 || (s.epoch == run.pause + 1 && s.batches_done > 0))) {
    return Misfit("epoch " + std::to_string(s.epoch) + " step " + std::to_string(s.batches_done) +
                  " is past the pause after epoch " + std::to_string(run.pause));
  }
  return Status::Ok();
}

TrainState Trainer::Capture(int epoch, int64_t batches_done, double epoch_seconds) const {
  TrainState s;
  s.epoch = epoch;
  s.batches_done = batches_done;
  s.steps = step_;
  s.threads = pool_.size();
  s.train_order = split_.train;
  s.shuffle_state = shuffle_rng_.state();
  for (const EpochSums& sums : sums_) {
    s.thread_loss.push_back(batches_done > 0 ? sums.loss : 0);
    s.thread_accuracy.push_back(batches_done > 0 ? sums.accuracy : 0);
  }
  s.epoch_seconds = epoch_seconds;
  s.params = model_->FlatParameters();
  s.moment1 = optimizer_.moment1();
  s.moment2 = optimizer_.moment2();
  s.best_value = best_value_;
  s.since_best = since_best_;
  s.best_epoch = report_.best_epoch;
  if (config_.early_stopping.patience > 0 && report_.best_epoch > 0) {
    s.best_params = best_.FlatParameters();
  }
  s.history = report_.history;
  s.seconds = Seconds();
  return s;
}

Status Trainer::Restore(const TrainState& s) {
  SWEEP_RETURN_IF_ERROR(CheckStateFits(
      s,
      RunShape{model_->ParameterCount(), optimizer_.moment1().size(), optimizer_.moment2().size(),
               &split_.train, config_.epochs, num_batches_, hooks_.pause_after_epoch}));
  model_->SetFlatParameters(s.params);
  optimizer_.SetMoments(s.moment1, s.moment2);
  split_.train = s.train_order;
  shuffle_rng_ = SplitMix64Rng(s.shuffle_state);
  step_ = s.steps;
  for (EpochSums& sums : sums_) sums = EpochSums{0, 0, s.batches_done};
  if (s.threads == pool_.size()) {
    for (int t = 0; t < pool_.size(); ++t) sums_[t].loss = s.thread_loss[t];
    for (int t = 0; t < pool_.size(); ++t) sums_[t].accuracy = s.thread_accuracy[t];
  } else {
    // The per-thread sums add up the same; only their rounding order changes.
    log::Warn("checkpoint written with " + std::to_string(s.threads) +
              " training threads, resumed with " + std::to_string(pool_.size()) +
              ": the rest of the run is not bit-identical to an uninterrupted one");
    for (size_t t = 0; t < s.thread_loss.size(); ++t) sums_[0].loss += s.thread_loss[t];
    for (size_t t = 0; t < s.thread_loss.size(); ++t) sums_[0].accuracy += s.thread_accuracy[t];
  }
  report_.history = s.history;
  report_.best_epoch = s.best_epoch;
  best_value_ = s.best_value;
  since_best_ = s.since_best;
  if (!s.best_params.empty()) {
    best_ = *model_;
    best_.SetFlatParameters(s.best_params);
  }
  first_epoch_ = s.epoch;
  resume_batches_ = s.batches_done;
  resume_epoch_seconds_ = s.epoch_seconds;
  prior_seconds_ = s.seconds;
  return Status::Ok();
}

}  // namespace sweep::model
