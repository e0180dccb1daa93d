// The CUDA path of a build without SWEEP_CUDA: every row fails as CheckDeviceBuilt says.
#include "model/cuda/train_cuda.h"

namespace sweep::model::cuda {

std::vector<StatusOr<TrainReport>> TrainRows(const Dataset& data, std::vector<RowJob>& rows) {
  std::vector<StatusOr<TrainReport>> out;
  for (size_t i = 0; i < rows.size(); ++i) out.emplace_back(CheckDeviceBuilt(Device::kCuda));
  return out;
}

bool DevicePresent() { return false; }

Status CheckDeviceUsable() { return CheckDeviceBuilt(Device::kCuda); }

}  // namespace sweep::model::cuda
