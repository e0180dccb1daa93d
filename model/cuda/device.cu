// device.h's memory, copies and cuBLAS calls, and the one translation of CUDA and cuBLAS
// errors into Status.
#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <string>
#include <utility>

#include "model/cuda/device.h"

namespace sweep::model::cuda {
namespace {

Status FromCuda(cudaError_t e, const char* call) {
  if (e == cudaSuccess) return Status::Ok();
  return Status::InvalidArgument(std::string(call) + ": " + cudaGetErrorString(e));
}

Status FromCublas(cublasStatus_t e, const char* call) {
  if (e == CUBLAS_STATUS_SUCCESS) return Status::Ok();
  return Status::InvalidArgument(std::string(call) + ": cuBLAS status " +
                                 std::to_string(static_cast<int>(e)));
}

}  // namespace

Status CheckDevice() {
  int n = 0;
  const cudaError_t e = cudaGetDeviceCount(&n);
  if (e != cudaSuccess) {
    return Status::InvalidArgument(std::string("no CUDA device: cudaGetDeviceCount: ") +
                                   cudaGetErrorString(e));
  }
  if (n == 0) return Status::InvalidArgument("no CUDA device: 0 devices");
  return Status::Ok();
}

DeviceBuffer::~DeviceBuffer() {
  if (data_ != nullptr) cudaFree(data_);
}

DeviceBuffer::DeviceBuffer(DeviceBuffer&& o) noexcept
    : data_(std::exchange(o.data_, nullptr)), bytes_(std::exchange(o.bytes_, 0)) {}

DeviceBuffer& DeviceBuffer::operator=(DeviceBuffer&& o) noexcept {
  if (this != &o) {
    if (data_ != nullptr) cudaFree(data_);
    data_ = std::exchange(o.data_, nullptr);
    bytes_ = std::exchange(o.bytes_, 0);
  }
  return *this;
}

StatusOr<DeviceBuffer> DeviceBuffer::Alloc(int64_t bytes) {
  DeviceBuffer b;
  if (bytes <= 0) return std::move(b);  // C++17: no implicit move into StatusOr
  SWEEP_RETURN_IF_ERROR(FromCuda(cudaMalloc(&b.data_, static_cast<size_t>(bytes)), "cudaMalloc"));
  b.bytes_ = bytes;
  SWEEP_RETURN_IF_ERROR(FromCuda(cudaMemset(b.data_, 0, static_cast<size_t>(bytes)), "cudaMemset"));
  return std::move(b);
}

Status Upload(void* device_dst, const void* host_src, int64_t bytes) {
  if (bytes == 0) return Status::Ok();
  return FromCuda(
      cudaMemcpy(device_dst, host_src, static_cast<size_t>(bytes), cudaMemcpyHostToDevice),
      "cudaMemcpy (to device)");
}

Status Download(void* host_dst, const void* device_src, int64_t bytes) {
  if (bytes == 0) return Status::Ok();
  return FromCuda(
      cudaMemcpy(host_dst, device_src, static_cast<size_t>(bytes), cudaMemcpyDeviceToHost),
      "cudaMemcpy (to host)");
}

Status Synchronize() { return FromCuda(cudaDeviceSynchronize(), "cudaDeviceSynchronize"); }

Blas::~Blas() {
  if (handle_ != nullptr) cublasDestroy(static_cast<cublasHandle_t>(handle_));
}

Blas::Blas(Blas&& o) noexcept : handle_(std::exchange(o.handle_, nullptr)) {}

Blas& Blas::operator=(Blas&& o) noexcept {
  if (this != &o) {
    if (handle_ != nullptr) cublasDestroy(static_cast<cublasHandle_t>(handle_));
    handle_ = std::exchange(o.handle_, nullptr);
  }
  return *this;
}

StatusOr<Blas> Blas::Create() {
  Blas b;
  cublasHandle_t h = nullptr;
  SWEEP_RETURN_IF_ERROR(FromCublas(cublasCreate(&h), "cublasCreate"));
  b.handle_ = h;
  // The CPU path is the reference: no TF32 tensor-core rounding of the FP32 GEMMs.
  SWEEP_RETURN_IF_ERROR(FromCublas(cublasSetMathMode(h, CUBLAS_DEFAULT_MATH), "cublasSetMathMode"));
  return std::move(b);
}

Status GemmStridedBatched(const Blas& blas, const Gemm& g) {
  const cublasOperation_t ta = g.trans_a ? CUBLAS_OP_T : CUBLAS_OP_N;
  const cublasOperation_t tb = g.trans_b ? CUBLAS_OP_T : CUBLAS_OP_N;
  return FromCublas(
      cublasSgemmStridedBatched(static_cast<cublasHandle_t>(blas.handle()), ta, tb, g.m, g.n, g.k,
                                &g.alpha, g.a, g.lda, g.stride_a, g.b, g.ldb, g.stride_b, &g.beta,
                                g.c, g.ldc, g.stride_c, g.batch),
      "cublasSgemmStridedBatched");
}

}  // namespace sweep::model::cuda
