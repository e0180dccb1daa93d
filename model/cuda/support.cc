// The GPU path's feature list and packing rule, compiled into every build so that CPU tests and
// `device: cuda` rows on a CPU build see the same messages.
#include <string>

#include "model/cuda/train_cuda.h"
#include "model/train_state.h"

namespace sweep::model::cuda {

// Every field of TrainConfig has a GPU implementation today; a feature added to the CPU path
// first gets its line here: return Unsupported("its_row_key").
Status CheckSupported(const TrainConfig& config) { return Status::Ok(); }

Status Unsupported(const std::string& row_key) {
  return Status::InvalidArgument("device: cuda does not support " + row_key +
                                 " yet; use device: cpu");
}

namespace {

// Where a row starts: 0 from scratch, else its resume state's (epoch, batches_done).
int64_t StartPoint(const RowJob& r) {
  if (r.hooks == nullptr || r.hooks->resume == nullptr) return 0;
  return static_cast<int64_t>(r.hooks->resume->epoch) * (int64_t{1} << 40) +
         r.hooks->resume->batches_done;
}

int PausePoint(const RowJob& r) { return r.hooks == nullptr ? 0 : r.hooks->pause_after_epoch; }

}  // namespace

bool Packable(const RowJob& a, const RowJob& b) {
  const TrainConfig& x = *a.config;
  const TrainConfig& y = *b.config;
  return x.network.hidden == y.network.hidden && x.network.activation == y.network.activation &&
         x.network.loss == y.network.loss && x.batch_size == y.batch_size && x.epochs == y.epochs &&
         a.train.size() == b.train.size() && a.val.size() == b.val.size() &&
         x.optimizer.kind == y.optimizer.kind && PausePoint(a) == PausePoint(b) &&
         StartPoint(a) == StartPoint(b);
}

}  // namespace sweep::model::cuda
