// PackedTrainer's passes over all rows at once: forward, loss, backward, one optimizer step,
// evaluation (model/kernels.cc and model/optimizer.cc, as batched GEMMs and kernels).
#include <algorithm>
#include <cmath>
#include <vector>

#include "model/cuda/packed_trainer.h"

namespace sweep::model::cuda {

// Layer l's outputs for the first n columns of buf_.x.
Status PackedTrainer::Forward(int n) {
  const int64_t p = layout_.size;
  int inputs = data_.cols;
  const float* in = buf_.x.f();
  for (size_t l = 0; l < units_.size(); ++l) {
    Gemm g;
    g.m = units_[l], g.n = n, g.k = inputs;
    g.a = buf_.params.f() + layout_.w_offset[l], g.lda = units_[l], g.stride_a = p;
    g.b = in, g.ldb = inputs, g.stride_b = cap_ * inputs;
    g.c = buf_.a[l].f(), g.ldc = units_[l], g.stride_c = cap_ * units_[l];
    g.batch = k_;
    SWEEP_RETURN_IF_ERROR(GemmStridedBatched(blas_, g));
    const int act = l + 1 < units_.size() ? act_ : -1;
    SWEEP_RETURN_IF_ERROR(BiasActivate(buf_.a[l].f(), cap_ * units_[l], buf_.params.f(), p,
                                       layout_.b_offset[l], units_[l], n, k_, act));
    in = buf_.a[l].f();
    inputs = units_[l];
  }
  return Status::Ok();
}

Status PackedTrainer::OutputLoss(int n, float grad_scale) {
  const float* z = buf_.a.back().f();
  if (classify_) {
    return SoftmaxCrossEntropy(z, cap_ * classes_, buf_.y.f(), cap_, classes_, n, k_, grad_scale,
                               buf_.d[0].f(), buf_.loss.f(), buf_.correct.f());
  }
  return SquaredError(z, cap_ * classes_, buf_.y.f(), cap_, n, k_, grad_scale, buf_.d[0].f(),
                      buf_.loss.f(), buf_.correct.f());
}

// model/kernels.cc's Backward: buf_.d[0] holds d(loss)/d(output) (OutputLoss's layout, ld =
// classes), the gradient lands in buf_.grad.
Status PackedTrainer::Backward(int n) {
  const int64_t p = layout_.size;
  int cur = 0;
  for (size_t l = units_.size(); l-- > 0;) {
    const int units = units_[l];
    const int inputs = l == 0 ? data_.cols : units_[l - 1];
    const float* in = l == 0 ? buf_.x.f() : buf_.a[l - 1].f();
    const int64_t d_stride = cap_ * (l + 1 == units_.size() ? classes_ : widest_);
    const float* d = buf_.d[cur].f();
    Gemm gw;  // gw = d * in^T
    gw.trans_b = true;
    gw.m = units, gw.n = inputs, gw.k = n;
    gw.a = d, gw.lda = units, gw.stride_a = d_stride;
    gw.b = in, gw.ldb = inputs, gw.stride_b = cap_ * inputs;
    gw.c = buf_.grad.f() + layout_.w_offset[l], gw.ldc = units, gw.stride_c = p;
    gw.batch = k_;
    SWEEP_RETURN_IF_ERROR(GemmStridedBatched(blas_, gw));
    Gemm gb = gw;  // gb = d * ones
    gb.trans_b = false;
    gb.n = 1;
    gb.b = buf_.ones.f(), gb.ldb = n, gb.stride_b = 0;
    gb.c = buf_.grad.f() + layout_.b_offset[l];
    SWEEP_RETURN_IF_ERROR(GemmStridedBatched(blas_, gb));
    if (l == 0) break;
    Gemm gn;  // next = w^T * d
    gn.trans_a = true;
    gn.m = inputs, gn.n = n, gn.k = units;
    gn.a = buf_.params.f() + layout_.w_offset[l], gn.lda = units, gn.stride_a = p;
    gn.b = d, gn.ldb = units, gn.stride_b = d_stride;
    gn.c = buf_.d[1 - cur].f(), gn.ldc = inputs, gn.stride_c = cap_ * widest_;
    gn.batch = k_;
    SWEEP_RETURN_IF_ERROR(GemmStridedBatched(blas_, gn));
    SWEEP_RETURN_IF_ERROR(ActivationGrad(buf_.d[1 - cur].f(), cap_ * widest_, buf_.a[l - 1].f(),
                                         cap_ * inputs, inputs, n, k_, act_));
    cur = 1 - cur;
  }
  return Status::Ok();
}

// Uploads lists[r] as row r's indices (stride: the first list's size).
Status PackedTrainer::UploadOrder(const std::vector<std::vector<int64_t>*>& lists) {
  const size_t count = lists.front()->size();
  host_idx_.resize(lists.size() * count);
  for (size_t r = 0; r < lists.size(); ++r) {
    for (size_t j = 0; j < count; ++j) {
      host_idx_[r * count + j] = static_cast<int32_t>((*lists[r])[j]);
    }
  }
  return Upload(buf_.idx.data(), host_idx_.data(), static_cast<int64_t>(host_idx_.size()) * 4);
}

// One optimizer step on batch s of the epoch (indices already uploaded).
Status PackedTrainer::Step(const std::vector<float>& lr, int64_t s) {
  const int64_t lo = s * batch_;
  const int n = static_cast<int>(std::min(batch_, num_train_ - lo));
  SWEEP_RETURN_IF_ERROR(Gather(buf_.data_x.f(), buf_.data_y.f(), data_.cols,
                               static_cast<const int32_t*>(buf_.idx.data()) + lo, num_train_, n, k_,
                               buf_.x.f(), cap_ * data_.cols, buf_.y.f(), cap_));
  SWEEP_RETURN_IF_ERROR(Forward(n));
  SWEEP_RETURN_IF_ERROR(OutputLoss(n, 1.0f / n));
  const int64_t step = step_ + s + 1;
  SWEEP_RETURN_IF_ERROR(AccumulateLoss(buf_.loss.f(), buf_.correct.f(), cap_, n, k_, 1.0 / n,
                                       static_cast<double*>(buf_.epoch_loss.data()),
                                       static_cast<double*>(buf_.epoch_acc.data()), step,
                                       static_cast<int64_t*>(buf_.diverged.data()),
                                       static_cast<double*>(buf_.diverged_loss.data())));
  SWEEP_RETURN_IF_ERROR(Backward(n));
  OptimizerRows o;
  const OptimizerConfig& first = jobs_.front().config->optimizer;
  o.kind = static_cast<int>(first.kind);
  for (int r = 0; r < k_; ++r) {
    const OptimizerConfig& c = jobs_[r].config->optimizer;
    o.lr[r] = lr[r];
    // Keras form, as model/optimizer.cc: the bias corrections fold into the rate.
    const double t = static_cast<double>(step);
    o.adam_lr[r] = static_cast<float>(lr[r] * std::sqrt(1.0 - std::pow(c.beta2, t)) /
                                      (1.0 - std::pow(c.beta1, t)));
    o.beta1[r] = c.beta1, o.beta2[r] = c.beta2, o.epsilon[r] = c.epsilon;
    o.weight_decay[r] = c.weight_decay, o.momentum[r] = c.momentum;
    o.nesterov[r] = c.nesterov ? 1 : 0;
  }
  return Update(o, layout_.size, k_, static_cast<const unsigned char*>(buf_.decay.data()),
                buf_.params.f(), buf_.grad.f(), buf_.m.f(), buf_.v.f(),
                static_cast<const int64_t*>(buf_.diverged.data()));
}

StatusOr<std::vector<Metrics>> PackedTrainer::Evaluate(bool val) {
  std::vector<std::vector<int64_t>*> lists;
  for (RowJob& j : jobs_) lists.push_back(val ? &j.val : &j.train);
  const int64_t count = static_cast<int64_t>(lists.front()->size());
  std::vector<Metrics> out(k_);
  if (count == 0) return out;
  SWEEP_RETURN_IF_ERROR(UploadOrder(lists));
  const std::vector<double> zeros(k_, 0.0);
  SWEEP_RETURN_IF_ERROR(Upload(buf_.eval_loss.data(), zeros.data(), k_ * 8));
  SWEEP_RETURN_IF_ERROR(Upload(buf_.eval_acc.data(), zeros.data(), k_ * 8));
  for (int64_t lo = 0; lo < count; lo += cap_) {
    const int n = static_cast<int>(std::min(cap_, count - lo));
    SWEEP_RETURN_IF_ERROR(Gather(buf_.data_x.f(), buf_.data_y.f(), data_.cols,
                                 static_cast<const int32_t*>(buf_.idx.data()) + lo, count, n, k_,
                                 buf_.x.f(), cap_ * data_.cols, buf_.y.f(), cap_));
    SWEEP_RETURN_IF_ERROR(Forward(n));
    SWEEP_RETURN_IF_ERROR(OutputLoss(n, 0.0f));
    SWEEP_RETURN_IF_ERROR(AccumulateLoss(buf_.loss.f(), buf_.correct.f(), cap_, n, k_, 1.0,
                                         static_cast<double*>(buf_.eval_loss.data()),
                                         static_cast<double*>(buf_.eval_acc.data()), 0, nullptr,
                                         nullptr));
  }
  std::vector<double> loss(k_), correct(k_);
  SWEEP_RETURN_IF_ERROR(Download(loss.data(), buf_.eval_loss.data(), k_ * 8));
  SWEEP_RETURN_IF_ERROR(Download(correct.data(), buf_.eval_acc.data(), k_ * 8));
  for (int r = 0; r < k_; ++r) {
    out[r].loss = loss[r] / count;
    if (classify_) out[r].accuracy = correct[r] / count;
  }
  return out;
}

}  // namespace sweep::model::cuda
