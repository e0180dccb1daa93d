// device.h's kernels: gather, bias + activation, losses, loss sums and the optimizers. Each
// mirrors its CPU counterpart in model/kernels.cc or model/optimizer.cc, element by element.
#include <cuda_runtime.h>

#include <cmath>
#include <string>

#include "model/cuda/device.h"

namespace sweep::model::cuda {
namespace {

constexpr int kThreads = 256;

int Blocks(int64_t n) { return static_cast<int>((n + kThreads - 1) / kThreads); }

Status Launched(const char* kernel) {
  const cudaError_t e = cudaGetLastError();
  if (e == cudaSuccess) return Status::Ok();
  return Status::InvalidArgument(std::string("CUDA kernel ") + kernel + ": " +
                                 cudaGetErrorString(e));
}

__global__ void GatherKernel(const float* data_x, const float* data_y, int cols, const int32_t* idx,
                             int64_t idx_stride, int n, int k, float* x, int64_t x_stride, float* y,
                             int64_t y_stride) {
  const int64_t total = static_cast<int64_t>(k) * n * cols;
  for (int64_t t = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; t < total;
       t += static_cast<int64_t>(gridDim.x) * blockDim.x) {
    const int c = static_cast<int>(t % cols);
    const int64_t rj = t / cols;
    const int j = static_cast<int>(rj % n), r = static_cast<int>(rj / n);
    const int64_t src = idx[r * idx_stride + j];
    x[r * x_stride + static_cast<int64_t>(j) * cols + c] = data_x[src * cols + c];
    if (c == 0) y[r * y_stride + j] = data_y[src];
  }
}

__device__ float Activate(float v, int act) {
  switch (act) {
    case 0:
      return v > 0.0f ? v : 0.0f;
    case 1:
      return tanhf(v);
    case 2:
      return 1.0f / (1.0f + expf(-v));
  }
  return v;
}

__global__ void BiasActivateKernel(float* z, int64_t z_stride, const float* params,
                                   int64_t param_stride, int64_t b_offset, int units, int n, int k,
                                   int act) {
  const int64_t per_row = static_cast<int64_t>(units) * n;
  for (int64_t t = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; t < k * per_row;
       t += static_cast<int64_t>(gridDim.x) * blockDim.x) {
    const int64_t r = t / per_row, e = t % per_row;
    const int u = static_cast<int>(e % units);
    float* p = z + r * z_stride + e;
    *p = Activate(*p + params[r * param_stride + b_offset + u], act);
  }
}

__global__ void ActivationGradKernel(float* d, int64_t d_stride, const float* a, int64_t a_stride,
                                     int units, int n, int k, int act) {
  const int64_t per_row = static_cast<int64_t>(units) * n;
  for (int64_t t = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; t < k * per_row;
       t += static_cast<int64_t>(gridDim.x) * blockDim.x) {
    const int64_t r = t / per_row, e = t % per_row;
    const float av = a[r * a_stride + e];
    float& dv = d[r * d_stride + e];
    switch (act) {
      case 0:
        dv = av > 0.0f ? dv : 0.0f;
        break;
      case 1:
        dv = dv * (1.0f - av * av);
        break;
      case 2:
        dv = dv * av * (1.0f - av);
        break;
    }
  }
}

// One thread per sample: the class count is small (the output layer).
__global__ void SoftmaxCrossEntropyKernel(const float* z, int64_t z_stride, const float* y,
                                          int64_t n_stride, int classes, int n, int k,
                                          float grad_scale, float* d, float* loss, float* correct) {
  const int64_t t = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x;
  if (t >= static_cast<int64_t>(k) * n) return;
  const int64_t r = t / n;
  const int j = static_cast<int>(t % n);
  const float* col = z + r * z_stride + static_cast<int64_t>(j) * classes;
  const int label = static_cast<int>(y[r * n_stride + j]);
  int arg = 0;
  for (int i = 1; i < classes; ++i) arg = col[i] > col[arg] ? i : arg;
  const float mx = col[arg];
  float sum = 0.0f;
  for (int i = 0; i < classes; ++i) sum += expf(col[i] - mx);
  loss[r * n_stride + j] = logf(sum) - (col[label] - mx);
  correct[r * n_stride + j] = arg == label ? 1.0f : 0.0f;
  if (grad_scale == 0.0f) return;
  float* dc = d + r * z_stride + static_cast<int64_t>(j) * classes;
  const float inv = 1.0f / sum;
  for (int i = 0; i < classes; ++i) {
    dc[i] = expf(col[i] - mx) * inv * grad_scale - (i == label ? grad_scale : 0.0f);
  }
}

__global__ void SquaredErrorKernel(const float* z, int64_t z_stride, const float* y,
                                   int64_t n_stride, int n, int k, float grad_scale, float* d,
                                   float* loss, float* correct) {
  const int64_t t = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x;
  if (t >= static_cast<int64_t>(k) * n) return;
  const int64_t r = t / n;
  const int j = static_cast<int>(t % n);
  const float e = z[r * z_stride + j] - y[r * n_stride + j];
  loss[r * n_stride + j] = e * e;
  correct[r * n_stride + j] = 0.0f;
  if (grad_scale != 0.0f) d[r * z_stride + j] = 2.0f * e * grad_scale;
}

// One block per row; a fixed tree order, so the sums repeat run after run.
__global__ void AccumulateLossKernel(const float* loss, const float* correct, int64_t n_stride,
                                     int n, double scale, double* loss_acc, double* correct_acc,
                                     int64_t step, int64_t* diverged, double* diverged_loss) {
  __shared__ double ls[kThreads], cs[kThreads];
  const int r = blockIdx.x;
  double l = 0, c = 0;
  for (int j = threadIdx.x; j < n; j += blockDim.x) {
    l += loss[r * n_stride + j];
    c += correct[r * n_stride + j];
  }
  ls[threadIdx.x] = l;
  cs[threadIdx.x] = c;
  __syncthreads();
  for (int s = blockDim.x / 2; s > 0; s /= 2) {
    if (threadIdx.x < s) {
      ls[threadIdx.x] += ls[threadIdx.x + s];
      cs[threadIdx.x] += cs[threadIdx.x + s];
    }
    __syncthreads();
  }
  if (threadIdx.x != 0) return;
  loss_acc[r] += ls[0] * scale;
  correct_acc[r] += cs[0] * scale;
  if (step > 0 && !isfinite(ls[0]) && diverged[r] == 0) {
    diverged[r] = step;
    diverged_loss[r] = ls[0];
  }
}

// model/optimizer.cc's UpdateChunk for one element.
__global__ void UpdateKernel(OptimizerRows o, int64_t size, int k, const unsigned char* decay,
                             float* params, float* grad, float* m, float* v,
                             const int64_t* diverged) {
  for (int64_t t = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; t < k * size;
       t += static_cast<int64_t>(gridDim.x) * blockDim.x) {
    const int r = static_cast<int>(t / size);
    if (diverged[r] != 0) continue;
    const float lr = o.lr[r];
    const float wd = decay[t % size] ? o.weight_decay[r] : 0.0f;
    float w = params[t], g = grad[t];
    switch (o.kind) {
      case 0:
        w -= wd != 0.0f ? lr * (g + wd * w) : lr * g;
        break;
      case 1: {
        const float mu = o.momentum[r];
        if (wd != 0.0f) g += wd * w;
        const float vel = mu * m[t] + g;
        m[t] = vel;
        w -= o.nesterov[r] ? lr * (g + mu * vel) : lr * vel;
        break;
      }
      default: {
        const float b1 = o.beta1[r], b2 = o.beta2[r];
        if (o.kind == 2 && wd != 0.0f) g += wd * w;
        if (o.kind == 3 && wd != 0.0f) w *= 1.0f - lr * wd;
        const float mt = b1 * m[t] + (1.0f - b1) * g;
        const float vt = b2 * v[t] + (1.0f - b2) * g * g;
        m[t] = mt;
        v[t] = vt;
        w -= o.adam_lr[r] * mt / (sqrtf(vt) + o.epsilon[r]);
        break;
      }
    }
    params[t] = w;
  }
}

// Grid-stride kernels need no more blocks than this to fill a GPU.
int GridFor(int64_t n) { return Blocks(n) < 65535 ? Blocks(n) : 65535; }

}  // namespace

Status Gather(const float* data_x, const float* data_y, int cols, const int32_t* idx,
              int64_t idx_stride, int n, int k, float* x, int64_t x_stride, float* y,
              int64_t y_stride) {
  const int64_t total = static_cast<int64_t>(k) * n * cols;
  if (total == 0) return Status::Ok();
  GatherKernel<<<GridFor(total), kThreads>>>(data_x, data_y, cols, idx, idx_stride, n, k, x,
                                             x_stride, y, y_stride);
  return Launched("Gather");
}

Status BiasActivate(float* z, int64_t z_stride, const float* params, int64_t param_stride,
                    int64_t b_offset, int units, int n, int k, int act) {
  const int64_t total = static_cast<int64_t>(k) * units * n;
  if (total == 0) return Status::Ok();
  BiasActivateKernel<<<GridFor(total), kThreads>>>(z, z_stride, params, param_stride, b_offset,
                                                   units, n, k, act);
  return Launched("BiasActivate");
}

Status ActivationGrad(float* d, int64_t d_stride, const float* a, int64_t a_stride, int units,
                      int n, int k, int act) {
  const int64_t total = static_cast<int64_t>(k) * units * n;
  if (total == 0) return Status::Ok();
  ActivationGradKernel<<<GridFor(total), kThreads>>>(d, d_stride, a, a_stride, units, n, k, act);
  return Launched("ActivationGrad");
}

Status SoftmaxCrossEntropy(const float* z, int64_t z_stride, const float* y, int64_t n_stride,
                           int classes, int n, int k, float grad_scale, float* d, float* loss,
                           float* correct) {
  const int64_t total = static_cast<int64_t>(k) * n;
  if (total == 0) return Status::Ok();
  SoftmaxCrossEntropyKernel<<<Blocks(total), kThreads>>>(z, z_stride, y, n_stride, classes, n, k,
                                                         grad_scale, d, loss, correct);
  return Launched("SoftmaxCrossEntropy");
}

Status SquaredError(const float* z, int64_t z_stride, const float* y, int64_t n_stride, int n,
                    int k, float grad_scale, float* d, float* loss, float* correct) {
  const int64_t total = static_cast<int64_t>(k) * n;
  if (total == 0) return Status::Ok();
  SquaredErrorKernel<<<Blocks(total), kThreads>>>(z, z_stride, y, n_stride, n, k, grad_scale, d,
                                                  loss, correct);
  return Launched("SquaredError");
}

Status AccumulateLoss(const float* loss, const float* correct, int64_t n_stride, int n, int k,
                      double scale, double* loss_acc, double* correct_acc, int64_t step,
                      int64_t* diverged, double* diverged_loss) {
  if (k == 0) return Status::Ok();
  AccumulateLossKernel<<<k, kThreads>>>(loss, correct, n_stride, n, scale, loss_acc, correct_acc,
                                        step, diverged, diverged_loss);
  return Launched("AccumulateLoss");
}

Status Update(const OptimizerRows& rows, int64_t size, int k, const unsigned char* decay,
              float* params, float* grad, float* m, float* v, const int64_t* diverged) {
  const int64_t total = size * k;
  if (total == 0) return Status::Ok();
  UpdateKernel<<<GridFor(total), kThreads>>>(rows, size, k, decay, params, grad, m, v, diverged);
  return Launched("Update");
}

}  // namespace sweep::model::cuda
