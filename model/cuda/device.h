// The GPU as plain C++: device memory, a cuBLAS handle, the GEMMs and the training kernels
// (ops.cu). No CUDA type appears here, so host code (packed_trainer.cc) is compiled by the C++
// compiler and only the .cu files need nvcc. Internal to sweep_model's CUDA path.
//
// Every call runs on the default stream in order; errors of asynchronous work show up at the
// next call that waits (Download, Synchronize). Each CUDA or cuBLAS failure becomes one Status
// naming the call, in one place (device.cu's FromCuda, FromCublas): InvalidArgument, since
// rerunning on the same machine fails the same way ("cudaMalloc: out of memory").
//
// Packed layout: K rows side by side, row r of an array of per-row size S at offset r * S. A
// row's parameters are flat in ParameterLayout order (per layer: w column-major, then b), so
// layer k's w of every row is one strided batch for cuBLAS.
#pragma once

#include <cstdint>
#include <vector>

#include "base/status.h"

namespace sweep::model::cuda {

// Ok when a CUDA device is usable, else InvalidArgument ("no CUDA device: cudaGetDeviceCount:
// ...", "no CUDA device: 0 devices").
Status CheckDevice();

// A block of device memory, freed on destruction. Move-only.
class DeviceBuffer {
 public:
  DeviceBuffer() = default;
  ~DeviceBuffer();
  DeviceBuffer(DeviceBuffer&& o) noexcept;
  DeviceBuffer& operator=(DeviceBuffer&& o) noexcept;
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;

  // Zero-filled.
  static StatusOr<DeviceBuffer> Alloc(int64_t bytes);
  void* data() const { return data_; }
  int64_t bytes() const { return bytes_; }
  float* f() const { return static_cast<float*>(data_); }

 private:
  void* data_ = nullptr;
  int64_t bytes_ = 0;
};

Status Upload(void* device_dst, const void* host_src, int64_t bytes);
Status Download(void* host_dst, const void* device_src, int64_t bytes);
Status Synchronize();

// A cuBLAS handle (default stream, default math mode: plain FP32, no TF32). Move-only.
class Blas {
 public:
  Blas() = default;
  ~Blas();
  Blas(Blas&& o) noexcept;
  Blas& operator=(Blas&& o) noexcept;
  Blas(const Blas&) = delete;
  Blas& operator=(const Blas&) = delete;
  static StatusOr<Blas> Create();
  void* handle() const { return handle_; }

 private:
  void* handle_ = nullptr;
};

// C_i = alpha * op(A_i) op(B_i) + beta * C_i for i < batch, column-major (Eigen's order),
// X_i = X + i * stride_x (strides in floats; 0 repeats one matrix). op(A) is m x k.
struct Gemm {
  bool trans_a = false, trans_b = false;
  int m = 0, n = 0, k = 0;
  const float* a = nullptr;
  int lda = 0;
  int64_t stride_a = 0;
  const float* b = nullptr;
  int ldb = 0;
  int64_t stride_b = 0;
  float* c = nullptr;
  int ldc = 0;
  int64_t stride_c = 0;
  float alpha = 1, beta = 0;
  int batch = 1;
};
Status GemmStridedBatched(const Blas& blas, const Gemm& g);

// ---- Kernels (ops.cu). Shapes per row; `k` rows. Each returns the launch's error, if any.

// x[r] (cols x n, column j = data row idx[r * idx_stride + j]) and y[r] (n) from the data set
// on the device (row-major rows x cols, and rows targets). Strides in floats.
Status Gather(const float* data_x, const float* data_y, int cols, const int32_t* idx,
              int64_t idx_stride, int n, int k, float* x, int64_t x_stride, float* y,
              int64_t y_stride);

// z[r] = act(z[r] + b[r]) over units x n; b[r] = params + r * param_stride + b_offset.
// act: 0 relu, 1 tanh, 2 sigmoid (Activation's order), -1 identity (bias only).
Status BiasActivate(float* z, int64_t z_stride, const float* params, int64_t param_stride,
                    int64_t b_offset, int units, int n, int k, int act);

// d[r] *= act'(a[r]) over units x n, the derivative in terms of the output a.
Status ActivationGrad(float* d, int64_t d_stride, const float* a, int64_t a_stride, int units,
                      int n, int k, int act);

// Per sample of z[r] (classes x n logits, left as they are): loss[r][j] = -log softmax(z)[y],
// correct[r][j] = argmax (first maximum) == y; with grad_scale != 0 also
// d[r] = (softmax(z) - onehot(y)) * grad_scale. Strides: z/d by z_stride, y/loss/correct by
// n_stride.
Status SoftmaxCrossEntropy(const float* z, int64_t z_stride, const float* y, int64_t n_stride,
                           int classes, int n, int k, float grad_scale, float* d, float* loss,
                           float* correct);

// The same for one linear output: loss = (z - y)^2, correct = 0, d = 2 (z - y) grad_scale.
Status SquaredError(const float* z, int64_t z_stride, const float* y, int64_t n_stride, int n,
                    int k, float grad_scale, float* d, float* loss, float* correct);

// Per row r (one block each): s = sum of loss[r][0..n), c = sum of correct[r][0..n) in double;
// loss_acc[r] += s * scale, correct_acc[r] += c * scale. With step > 0, a row whose s is not
// finite and whose diverged[r] is 0 gets diverged[r] = step, diverged_loss[r] = s.
Status AccumulateLoss(const float* loss, const float* correct, int64_t n_stride, int n, int k,
                      double scale, double* loss_acc, double* correct_acc, int64_t step,
                      int64_t* diverged, double* diverged_loss);

// Per-row optimizer settings, passed by value to the update kernel (under the 4 KiB limit of
// kernel parameters of CUDA 11). kMaxRows is cuda::kMaxPackedRows (train_cuda.h).
inline constexpr int kMaxRows = 64;
struct OptimizerRows {
  int kind = 0;  // Optimizer's order: 0 sgd, 1 momentum, 2 adam, 3 adamw
  float lr[kMaxRows], adam_lr[kMaxRows], beta1[kMaxRows], beta2[kMaxRows], epsilon[kMaxRows],
      weight_decay[kMaxRows], momentum[kMaxRows];
  int nesterov[kMaxRows];
};

// One optimizer step over k rows of `size` parameters (model/optimizer.cc's formulas): grad[r]
// holds row r's batch gradient; decay[p] is 1 for weights, 0 for biases; m, v are the moments
// (unused ones may be null). Rows with diverged[r] != 0 are left alone.
Status Update(const OptimizerRows& rows, int64_t size, int k, const unsigned char* decay,
              float* params, float* grad, float* m, float* v, const int64_t* diverged);

}  // namespace sweep::model::cuda
