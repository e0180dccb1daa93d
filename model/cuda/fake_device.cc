// device.h in plain C++ on host memory, for testing the GPU path's host side (packed_*.cc: the
// loop, the strides of every batched GEMM, batch order, checkpoints, packing) on machines
// without a GPU: sweep_model_fake_cuda_test runs cuda_test.cc against it. Naive loops, the same
// formulas as ops.cu; it says nothing about the .cu kernels themselves (cuda_test on a GPU does).
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "model/cuda/device.h"

namespace sweep::model::cuda {

Status CheckDevice() { return Status::Ok(); }

DeviceBuffer::~DeviceBuffer() { std::free(data_); }

DeviceBuffer::DeviceBuffer(DeviceBuffer&& o) noexcept
    : data_(std::exchange(o.data_, nullptr)), bytes_(std::exchange(o.bytes_, 0)) {}

DeviceBuffer& DeviceBuffer::operator=(DeviceBuffer&& o) noexcept {
  if (this != &o) {
    std::free(data_);
    data_ = std::exchange(o.data_, nullptr);
    bytes_ = std::exchange(o.bytes_, 0);
  }
  return *this;
}

StatusOr<DeviceBuffer> DeviceBuffer::Alloc(int64_t bytes) {
  DeviceBuffer b;
  if (bytes <= 0) return b;
  b.data_ = std::calloc(static_cast<size_t>(bytes), 1);
  if (b.data_ == nullptr) return Status::InvalidArgument("fake cudaMalloc: out of memory");
  b.bytes_ = bytes;
  return b;
}

Status Upload(void* dst, const void* src, int64_t bytes) {
  if (bytes > 0) std::memcpy(dst, src, static_cast<size_t>(bytes));
  return Status::Ok();
}

Status Download(void* dst, const void* src, int64_t bytes) { return Upload(dst, src, bytes); }

Status Synchronize() { return Status::Ok(); }

Blas::~Blas() = default;
Blas::Blas(Blas&& o) noexcept : handle_(std::exchange(o.handle_, nullptr)) {}
Blas& Blas::operator=(Blas&& o) noexcept {
  handle_ = std::exchange(o.handle_, nullptr);
  return *this;
}
StatusOr<Blas> Blas::Create() {
  Blas b;
  b.handle_ = &b;  // any non-null value
  return b;
}

Status GemmStridedBatched(const Blas&, const Gemm& g) {
  for (int i = 0; i < g.batch; ++i) {
    const float* a = g.a + i * g.stride_a;
    const float* b = g.b + i * g.stride_b;
    float* c = g.c + i * g.stride_c;
    for (int col = 0; col < g.n; ++col) {
      for (int row = 0; row < g.m; ++row) {
        float sum = 0;
        for (int l = 0; l < g.k; ++l) {
          const float av = g.trans_a ? a[l + static_cast<int64_t>(row) * g.lda]
                                     : a[row + static_cast<int64_t>(l) * g.lda];
          const float bv = g.trans_b ? b[col + static_cast<int64_t>(l) * g.ldb]
                                     : b[l + static_cast<int64_t>(col) * g.ldb];
          sum += av * bv;
        }
        float& out = c[row + static_cast<int64_t>(col) * g.ldc];
        out = g.alpha * sum + (g.beta == 0 ? 0.0f : g.beta * out);
      }
    }
  }
  return Status::Ok();
}

Status Gather(const float* data_x, const float* data_y, int cols, const int32_t* idx,
              int64_t idx_stride, int n, int k, float* x, int64_t x_stride, float* y,
              int64_t y_stride) {
  for (int r = 0; r < k; ++r) {
    for (int j = 0; j < n; ++j) {
      const int64_t src = idx[r * idx_stride + j];
      std::memcpy(x + r * x_stride + static_cast<int64_t>(j) * cols, data_x + src * cols,
                  sizeof(float) * cols);
      y[r * y_stride + j] = data_y[src];
    }
  }
  return Status::Ok();
}

namespace {
float Activate(float v, int act) {
  switch (act) {
    case 0:
      return v > 0.0f ? v : 0.0f;
    case 1:
      return std::tanh(v);
    case 2:
      return 1.0f / (1.0f + std::exp(-v));
  }
  return v;
}
}  // namespace

Status BiasActivate(float* z, int64_t z_stride, const float* params, int64_t param_stride,
                    int64_t b_offset, int units, int n, int k, int act) {
  for (int r = 0; r < k; ++r) {
    for (int64_t e = 0; e < static_cast<int64_t>(units) * n; ++e) {
      float& v = z[r * z_stride + e];
      v = Activate(v + params[r * param_stride + b_offset + e % units], act);
    }
  }
  return Status::Ok();
}

Status ActivationGrad(float* d, int64_t d_stride, const float* a, int64_t a_stride, int units,
                      int n, int k, int act) {
  for (int r = 0; r < k; ++r) {
    for (int64_t e = 0; e < static_cast<int64_t>(units) * n; ++e) {
      const float av = a[r * a_stride + e];
      float& dv = d[r * d_stride + e];
      if (act == 0) dv = av > 0.0f ? dv : 0.0f;
      if (act == 1) dv = dv * (1.0f - av * av);
      if (act == 2) dv = dv * av * (1.0f - av);
    }
  }
  return Status::Ok();
}

Status SoftmaxCrossEntropy(const float* z, int64_t z_stride, const float* y, int64_t n_stride,
                           int classes, int n, int k, float grad_scale, float* d, float* loss,
                           float* correct) {
  for (int r = 0; r < k; ++r) {
    for (int j = 0; j < n; ++j) {
      const float* col = z + r * z_stride + static_cast<int64_t>(j) * classes;
      const int label = static_cast<int>(y[r * n_stride + j]);
      int arg = 0;
      for (int i = 1; i < classes; ++i) arg = col[i] > col[arg] ? i : arg;
      const float mx = col[arg];
      float sum = 0.0f;
      for (int i = 0; i < classes; ++i) sum += std::exp(col[i] - mx);
      loss[r * n_stride + j] = std::log(sum) - (col[label] - mx);
      correct[r * n_stride + j] = arg == label ? 1.0f : 0.0f;
      if (grad_scale == 0.0f) continue;
      float* dc = d + r * z_stride + static_cast<int64_t>(j) * classes;
      for (int i = 0; i < classes; ++i) {
        dc[i] = std::exp(col[i] - mx) / sum * grad_scale - (i == label ? grad_scale : 0.0f);
      }
    }
  }
  return Status::Ok();
}

Status SquaredError(const float* z, int64_t z_stride, const float* y, int64_t n_stride, int n,
                    int k, float grad_scale, float* d, float* loss, float* correct) {
  for (int r = 0; r < k; ++r) {
    for (int j = 0; j < n; ++j) {
      const float e = z[r * z_stride + j] - y[r * n_stride + j];
      loss[r * n_stride + j] = e * e;
      correct[r * n_stride + j] = 0.0f;
      if (grad_scale != 0.0f) d[r * z_stride + j] = 2.0f * e * grad_scale;
    }
  }
  return Status::Ok();
}

Status AccumulateLoss(const float* loss, const float* correct, int64_t n_stride, int n, int k,
                      double scale, double* loss_acc, double* correct_acc, int64_t step,
                      int64_t* diverged, double* diverged_loss) {
  for (int r = 0; r < k; ++r) {
    double l = 0, c = 0;
    for (int j = 0; j < n; ++j) l += loss[r * n_stride + j], c += correct[r * n_stride + j];
    loss_acc[r] += l * scale;
    correct_acc[r] += c * scale;
    if (step > 0 && !std::isfinite(l) && diverged[r] == 0) {
      diverged[r] = step;
      diverged_loss[r] = l;
    }
  }
  return Status::Ok();
}

Status Update(const OptimizerRows& o, int64_t size, int k, const unsigned char* decay,
              float* params, float* grad, float* m, float* v, const int64_t* diverged) {
  for (int64_t t = 0; t < size * k; ++t) {
    const int r = static_cast<int>(t / size);
    if (diverged[r] != 0) continue;
    const float lr = o.lr[r];
    const float wd = decay[t % size] ? o.weight_decay[r] : 0.0f;
    float w = params[t], g = grad[t];
    if (o.kind == 0) {
      w -= wd != 0.0f ? lr * (g + wd * w) : lr * g;
    } else if (o.kind == 1) {
      const float mu = o.momentum[r];
      if (wd != 0.0f) g += wd * w;
      m[t] = mu * m[t] + g;
      w -= o.nesterov[r] ? lr * (g + mu * m[t]) : lr * m[t];
    } else {
      const float b1 = o.beta1[r], b2 = o.beta2[r];
      if (o.kind == 2 && wd != 0.0f) g += wd * w;
      if (o.kind == 3 && wd != 0.0f) w *= 1.0f - lr * wd;
      m[t] = b1 * m[t] + (1.0f - b1) * g;
      v[t] = b2 * v[t] + (1.0f - b2) * g * g;
      w -= o.adam_lr[r] * m[t] / (std::sqrt(v[t]) + o.epsilon[r]);
    }
    params[t] = w;
  }
  return Status::Ok();
}

}  // namespace sweep::model::cuda
