// The CPU side of the CUDA seam: the device rule, the GPU feature list, packing, and TrainPacked
// on CPU rows (bit-identical to one Train per row). The GPU itself is tested in cuda_test.cc.
#include <gtest/gtest.h>

#include "base/random.h"
#include "base/testing.h"
#include "model/cuda/train_cuda.h"
#include "model/train.h"

namespace sweep::model {
namespace {

Dataset Blobs(int64_t rows, int cols, int classes, uint64_t seed) {
  SplitMix64Rng rng(seed);
  Dataset d;
  d.rows = rows;
  d.cols = cols;
  d.num_classes = classes;
  for (int64_t i = 0; i < rows; ++i) {
    const int label = static_cast<int>(i % classes);
    for (int j = 0; j < cols; ++j) d.x.push_back((j % classes == label) + UniformFloat(rng));
    d.y.push_back(static_cast<float>(label));
  }
  return d;
}

TrainConfig Small(uint64_t seed, float lr) {
  TrainConfig c;
  c.network.hidden = {8};
  c.batch_size = 16;
  c.epochs = 3;
  c.seed = seed;
  c.threads = 1;
  c.optimizer.learning_rate = lr;
  c.data.validation_split = 0.25f;
  return c;
}

TEST(CudaSeam, CpuBuildRejectsCudaRows) {
  if (CudaAvailable()) GTEST_SKIP() << "a CUDA build: cuda_test.cc covers device: cuda";
  TrainConfig c = Small(1, 1e-2f);
  c.device = Device::kCuda;
  Mlp m;
  StatusOr<TrainReport> r = Train(c, Blobs(64, 4, 2, 1), &m);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("no CUDA"), std::string::npos) << r.status().ToString();
  EXPECT_FALSE(cuda::DevicePresent());
}

TEST(CudaSeam, CheckDeviceReadyBeforeAnyData) {
  TrainConfig c = Small(1, 1e-2f);
  EXPECT_OK(CheckDeviceReady(c));
  c.device = Device::kCuda;
  const Status s = CheckDeviceReady(c);
  if (CudaAvailable()) GTEST_SKIP() << "a CUDA build: ready exactly when a device is present";
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("no CUDA"), std::string::npos) << s.ToString();
}

TEST(CudaSeam, EveryFeatureSupportedAndTheMessageForTheNextOne) {
  TrainConfig c = Small(1, 1e-2f);
  c.early_stopping.patience = 2;
  c.optimizer.kind = Optimizer::kMomentum;
  c.optimizer.nesterov = true;
  c.schedule.kind = LrSchedule::kStep;
  c.network.loss = Loss::kMse;
  EXPECT_OK(cuda::CheckSupported(c));
  const Status s = cuda::Unsupported("dropout");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "device: cuda does not support dropout yet; use device: cpu");
}

TEST(CudaSeam, PackableNeedsOneShape) {
  const TrainConfig a = Small(1, 1e-2f);
  TrainConfig b = Small(2, 3e-3f);
  cuda::RowJob ja{&a, {1, 2, 3}, {4}, nullptr, nullptr};
  cuda::RowJob jb{&b, {3, 2, 1}, {5}, nullptr, nullptr};
  EXPECT_TRUE(cuda::Packable(ja, jb));  // seeds and rates may differ
  b.network.hidden = {9};
  EXPECT_FALSE(cuda::Packable(ja, jb));
  b = Small(2, 3e-3f);
  b.optimizer.kind = Optimizer::kSgd;
  EXPECT_FALSE(cuda::Packable(ja, jb));
}

TEST(CudaSeam, TrainPackedOnCpuEqualsTrainRowByRow) {
  const Dataset data = Blobs(96, 6, 3, 7);
  std::vector<TrainConfig> configs = {Small(1, 1e-2f), Small(2, 3e-3f), Small(3, 1e-2f)};
  configs[2].optimizer.kind = Optimizer::kMomentum;
  std::vector<Mlp> packed(3), single(3);
  std::vector<Mlp*> models = {&packed[0], &packed[1], &packed[2]};
  const std::vector<TrainHooks> hooks(3);
  std::vector<StatusOr<TrainReport>> reports = TrainPacked(configs, data, models, hooks);
  ASSERT_EQ(reports.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    ASSERT_OK(reports[i].status());
    StatusOr<TrainReport> one = Train(configs[i], data, &single[i]);
    ASSERT_OK(one.status());
    EXPECT_EQ(packed[i].FlatParameters(), single[i].FlatParameters()) << "row " << i;
    EXPECT_EQ(reports[i]->train.loss, one->train.loss);
    EXPECT_EQ(reports[i]->val.accuracy, one->val.accuracy);
    EXPECT_EQ(reports[i]->history.size(), one->history.size());
  }
}

TEST(CudaSeam, TrainPackedKeepsEachRowsError) {
  if (CudaAvailable()) GTEST_SKIP() << "a CUDA build";
  const Dataset data = Blobs(64, 4, 2, 3);
  std::vector<TrainConfig> configs = {Small(1, 1e-2f), Small(2, 1e-2f)};
  configs[0].device = Device::kCuda;
  std::vector<Mlp> m(2);
  std::vector<StatusOr<TrainReport>> reports =
      TrainPacked(configs, data, {&m[0], &m[1]}, std::vector<TrainHooks>(2));
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_FALSE(reports[0].ok());
  EXPECT_NE(reports[0].status().message().find("no CUDA"), std::string::npos);
  EXPECT_OK(reports[1].status());
}

}  // namespace
}  // namespace sweep::model
