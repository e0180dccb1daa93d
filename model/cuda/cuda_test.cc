// The GPU path against the CPU path (the reference), ggml test-backend-ops style: each kernel
// through single steps on random shapes, gradients against finite differences, a whole W1-shaped
// row, packed rows against the same rows one by one, checkpoints. Every test skips with a
// message on a machine without a CUDA device, except the one that checks that message.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>

#include "base/random.h"
#include "base/testing.h"
#include "model/cuda/device.h"
#include "model/cuda/train_cuda.h"
#include "model/train.h"
#include "model/train_state.h"

namespace sweep::model {
namespace {

#define SKIP_WITHOUT_GPU()                                                  \
  if (!cuda::DevicePresent())                                               \
  GTEST_SKIP() << "no CUDA device here (" << cuda::CheckDevice().ToString() \
               << "): run on a GPU machine (scripts/gpu_check.sh)"

Dataset Random(int64_t rows, int cols, int classes, uint64_t seed) {
  SplitMix64Rng rng(seed);
  Dataset d;
  d.rows = rows;
  d.cols = cols;
  d.num_classes = classes;
  for (int64_t i = 0; i < rows; ++i) {
    const int label = static_cast<int>(UniformBelow(rng, classes > 0 ? classes : 1));
    float target = 0;
    for (int j = 0; j < cols; ++j) {
      const float v = 2.0f * UniformFloat(rng) - 1.0f + (classes > 0 && j % classes == label);
      d.x.push_back(v);
      target += (j % 3 - 1) * 0.5f * v;
    }
    d.y.push_back(classes > 0 ? static_cast<float>(label) : target);
  }
  return d;
}

TrainConfig Config(Optimizer opt, Activation act, Loss loss, std::vector<int> hidden) {
  TrainConfig c;
  c.network.hidden = std::move(hidden);
  c.network.activation = act;
  c.network.loss = loss;
  c.optimizer.kind = opt;
  c.optimizer.learning_rate = opt == Optimizer::kSgd || opt == Optimizer::kMomentum ? 0.05f : 1e-3f;
  c.threads = 1;
  c.seed = 11;
  return c;
}

float MaxAbsDiff(const std::vector<float>& a, const std::vector<float>& b) {
  float m = 0;
  for (size_t i = 0; i < a.size(); ++i) m = std::max(m, std::abs(a[i] - b[i]));
  return m;
}

struct Both {
  Mlp cpu, gpu;
  TrainReport cpu_report, gpu_report;
};

// Trains `c` on the CPU and on the GPU from the same initial weights.
Both TrainBoth(TrainConfig c, const Dataset& data) {
  Both b;
  c.device = Device::kCpu;
  StatusOr<TrainReport> cpu = Train(c, data, &b.cpu);
  EXPECT_OK(cpu.status());
  c.device = Device::kCuda;
  StatusOr<TrainReport> gpu = Train(c, data, &b.gpu);
  EXPECT_OK(gpu.status());
  if (cpu.ok()) b.cpu_report = *cpu;
  if (gpu.ok()) b.gpu_report = *gpu;
  return b;
}

TEST(CudaDevice, NoDeviceIsAClearError) {
  if (cuda::DevicePresent()) GTEST_SKIP() << "a CUDA device is present";
  TrainConfig c = Config(Optimizer::kAdam, Activation::kRelu, Loss::kCrossEntropy, {4});
  c.device = Device::kCuda;
  Mlp m;
  StatusOr<TrainReport> r = Train(c, Random(32, 3, 2, 1), &m);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("no CUDA device"), std::string::npos)
      << r.status().ToString();
}

// One full-batch step (no shuffle, no split) exercises gather, every layer's GEMMs, bias +
// activation forward and backward, the loss and its gradient and the update, once each: the
// weights after it must match the CPU's to float rounding. Shapes are drawn at random.
TEST(CudaKernels, OneStepMatchesCpuOnRandomShapes) {
  SKIP_WITHOUT_GPU();
  SplitMix64Rng rng(5);
  const Activation acts[] = {Activation::kRelu, Activation::kTanh, Activation::kSigmoid};
  const Optimizer opts[] = {Optimizer::kSgd, Optimizer::kMomentum, Optimizer::kAdam,
                            Optimizer::kAdamW};
  for (int trial = 0; trial < 24; ++trial) {
    const Activation act = acts[trial % 3];
    const Optimizer opt = opts[trial % 4];
    const Loss loss = trial % 5 == 4 ? Loss::kMse : Loss::kCrossEntropy;
    std::vector<int> hidden;
    for (uint64_t l = UniformBelow(rng, 3); l > 0; --l) {
      hidden.push_back(1 + static_cast<int>(UniformBelow(rng, 40)));
    }
    const int cols = 1 + static_cast<int>(UniformBelow(rng, 50));
    const int classes = loss == Loss::kMse ? 0 : 2 + static_cast<int>(UniformBelow(rng, 9));
    const int64_t rows = 1 + static_cast<int64_t>(UniformBelow(rng, 300));
    TrainConfig c = Config(opt, act, loss, hidden);
    c.batch_size = 0;
    c.epochs = 1;
    c.optimizer.weight_decay = trial % 2 ? 0.01f : 0.0f;
    c.optimizer.nesterov = opt == Optimizer::kMomentum && trial % 3 == 0;
    // A larger epsilon keeps Adam's first step linear in the gradient: with 1e-7, a gradient
    // within rounding of 0 may change sign between the two sums and move a weight by ~lr.
    c.optimizer.epsilon = 1e-3f;
    SCOPED_TRACE("trial " + std::to_string(trial) + ": " + std::string(ToString(act)) + " " +
                 std::string(ToString(opt)) + " " + std::string(ToString(loss)) + " rows " +
                 std::to_string(rows) + " cols " + std::to_string(cols) + " hidden " +
                 std::to_string(hidden.size()));
    const Both b = TrainBoth(c, Random(rows, cols, classes, trial));
    EXPECT_LE(MaxAbsDiff(b.cpu.FlatParameters(), b.gpu.FlatParameters()), 1e-5f);
    EXPECT_NEAR(b.gpu_report.train.loss, b.cpu_report.train.loss,
                1e-4 * std::max(1.0, std::abs(b.cpu_report.train.loss)));
  }
}

// Several shuffled mini-batches with a validation split: the batch order and the split must
// be the CPU's (a different order gives visibly different weights after a few steps).
TEST(CudaKernels, ShuffledBatchesFollowTheCpuOrder) {
  SKIP_WITHOUT_GPU();
  TrainConfig c = Config(Optimizer::kSgd, Activation::kTanh, Loss::kCrossEntropy, {12});
  c.batch_size = 7;
  c.epochs = 2;
  c.data.validation_split = 0.2f;
  c.schedule.kind = LrSchedule::kCosine;
  const Both b = TrainBoth(c, Random(103, 9, 4, 3));
  EXPECT_LE(MaxAbsDiff(b.cpu.FlatParameters(), b.gpu.FlatParameters()), 1e-4f);
  ASSERT_EQ(b.gpu_report.history.size(), 2u);
  for (size_t e = 0; e < 2; ++e) {
    EXPECT_NEAR(b.gpu_report.history[e].train.loss, b.cpu_report.history[e].train.loss, 1e-4);
    EXPECT_NEAR(b.gpu_report.history[e].val.loss, b.cpu_report.history[e].val.loss, 1e-4);
    EXPECT_EQ(b.gpu_report.history[e].learning_rate, b.cpu_report.history[e].learning_rate);
  }
}

// The gradient the GPU applies (one full-batch sgd step with rate 1: w - w') against central
// differences of the CPU's loss (Evaluate), for a sample of weights and biases.
TEST(CudaGradients, MatchFiniteDifferences) {
  SKIP_WITHOUT_GPU();
  for (Loss loss : {Loss::kCrossEntropy, Loss::kMse}) {
    TrainConfig c = Config(Optimizer::kSgd, Activation::kTanh, loss, {6, 5});
    c.optimizer.learning_rate = 1.0f;
    c.batch_size = 0;
    c.epochs = 1;
    c.device = Device::kCuda;
    const Dataset data = Random(40, 5, loss == Loss::kMse ? 0 : 3, 9);
    Mlp trained;
    ASSERT_OK(Train(c, data, &trained).status());
    const bool classify = loss == Loss::kCrossEntropy;
    const Mlp initial(data.cols, c.network.hidden, classify ? data.num_classes : 1,
                      c.network.activation, classify ? OutputKind::kSoftmax : OutputKind::kLinear,
                      c.network.init, SubSeed(c.seed, 1));  // what Train starts from
    const std::vector<float> w0 = initial.FlatParameters(), w1 = trained.FlatParameters();
    for (size_t i = 0; i < w0.size(); i += 3) {
      const float eps = 1e-2f;
      std::vector<float> plus = w0, minus = w0;
      plus[i] += eps;
      minus[i] -= eps;
      Mlp m = initial;
      m.SetFlatParameters(plus);
      const double lp = Evaluate(m, data, loss, 1).loss;
      m.SetFlatParameters(minus);
      const double lm = Evaluate(m, data, loss, 1).loss;
      const double fd = (lp - lm) / (2 * eps);
      const double gpu = w0[i] - w1[i];
      EXPECT_NEAR(gpu, fd, 2e-3 + 2e-2 * std::abs(fd)) << ToString(loss) << " parameter " << i;
    }
  }
}

// A W1 row (784-128-10 relu, Adam, batch 128, 3 epochs; MNIST-shaped random data, 6,000 rows,
// a tenth held out): final losses within 1% of the CPU's, accuracies equal to 3 digits. On the
// fake device (plain loops; 77 s under the sanitizers) 1,200 rows: the same shapes and passes.
#ifdef SWEEP_FAKE_DEVICE
constexpr int kW1Rows = 1200;
#else
constexpr int kW1Rows = 6000;
#endif
TEST(CudaRow, W1MatchesCpu) {
  SKIP_WITHOUT_GPU();
  TrainConfig c = Config(Optimizer::kAdam, Activation::kRelu, Loss::kCrossEntropy, {128});
  c.batch_size = 128;
  c.epochs = 3;
  c.data.validation_split = 0.1f;
  c.threads = 0;
  const Both b = TrainBoth(c, Random(kW1Rows, 784, 10, 21));
  EXPECT_NEAR(b.gpu_report.train.loss, b.cpu_report.train.loss, 0.01 * b.cpu_report.train.loss);
  EXPECT_NEAR(b.gpu_report.val.loss, b.cpu_report.val.loss, 0.01 * b.cpu_report.val.loss);
  EXPECT_NEAR(b.gpu_report.train.accuracy, b.cpu_report.train.accuracy, 1e-3);
  EXPECT_NEAR(b.gpu_report.val.accuracy, b.cpu_report.val.accuracy, 1e-3);
  EXPECT_EQ(b.gpu_report.best_epoch, 3);
  EXPECT_FALSE(b.gpu_report.diverged.has_value());
}

// K rows with their own seeds, rates and weight decay, packed, against the same rows one by
// one on the GPU (batched GEMMs may sum in another order: float rounding only).
TEST(CudaPacked, MatchesRowsOneByOne) {
  SKIP_WITHOUT_GPU();
  const Dataset data = Random(500, 20, 5, 4);
  for (Optimizer opt : {Optimizer::kMomentum, Optimizer::kAdamW}) {
    std::vector<TrainConfig> configs;
    for (int r = 0; r < 5; ++r) {
      TrainConfig c = Config(opt, Activation::kRelu, Loss::kCrossEntropy, {16, 8});
      c.device = Device::kCuda;
      c.seed = 100 + r;
      c.optimizer.learning_rate *= 1.0f + 0.5f * r;
      c.optimizer.weight_decay = 0.001f * r;
      c.batch_size = 32;
      c.epochs = 3;
      c.data.validation_split = 0.2f;
      configs.push_back(c);
    }
    std::vector<Mlp> packed(configs.size());
    std::vector<Mlp*> ptrs;
    for (Mlp& m : packed) ptrs.push_back(&m);
    const std::vector<StatusOr<TrainReport>> reports =
        TrainPacked(configs, data, ptrs, std::vector<TrainHooks>(configs.size()));
    for (size_t r = 0; r < configs.size(); ++r) {
      ASSERT_OK(reports[r].status());
      Mlp single;
      StatusOr<TrainReport> one = Train(configs[r], data, &single);
      ASSERT_OK(one.status());
      // Adam's epsilon 1e-7 amplifies rounding of near-zero gradients: looser for adamw.
      const float tol = opt == Optimizer::kAdamW ? 2e-3f : 1e-4f;
      EXPECT_LE(MaxAbsDiff(packed[r].FlatParameters(), single.FlatParameters()), tol)
          << "row " << r;
      EXPECT_NEAR(reports[r]->val.loss, one->val.loss, 1e-3 * one->val.loss);
    }
  }
}

// Early stopping on the GPU as on the CPU (best epoch, stop, the best weights restored), and
// rows of one pack stopping at different epochs while the others go on.
TEST(CudaEarlyStopping, MatchesCpuAlsoPacked) {
  SKIP_WITHOUT_GPU();
  const Dataset data = Random(240, 8, 3, 12);
  std::vector<TrainConfig> configs;
  for (int r = 0; r < 4; ++r) {
    TrainConfig c = Config(Optimizer::kSgd, Activation::kTanh, Loss::kCrossEntropy, {32});
    c.optimizer.learning_rate = 0.5f;  // overfits fast: validation loss turns up
    c.batch_size = 16;
    c.epochs = 25;
    c.seed = 40 + r;
    c.data.validation_split = 0.3f;
    c.early_stopping.patience = 1 + r % 3;
    c.early_stopping.metric =
        r == 3 ? EarlyStoppingMetric::kValAccuracy : EarlyStoppingMetric::kValLoss;
    configs.push_back(c);
  }
  int stopped = 0;
  for (const TrainConfig& c : configs) {
    const Both b = TrainBoth(c, data);
    EXPECT_EQ(b.gpu_report.stopped_early, b.cpu_report.stopped_early);
    EXPECT_EQ(b.gpu_report.best_epoch, b.cpu_report.best_epoch);
    EXPECT_EQ(b.gpu_report.history.size(), b.cpu_report.history.size());
    EXPECT_LE(MaxAbsDiff(b.cpu.FlatParameters(), b.gpu.FlatParameters()), 1e-3f);
    stopped += b.cpu_report.stopped_early;
  }
  EXPECT_GE(stopped, 2) << "the data should make most rows stop early";
  std::vector<Mlp> packed(configs.size());
  std::vector<Mlp*> ptrs;
  for (Mlp& m : packed) ptrs.push_back(&m);
  for (TrainConfig& c : configs) c.device = Device::kCuda;
  const std::vector<StatusOr<TrainReport>> reports =
      TrainPacked(configs, data, ptrs, std::vector<TrainHooks>(configs.size()));
  for (size_t r = 0; r < configs.size(); ++r) {
    ASSERT_OK(reports[r].status());
    Mlp single;
    StatusOr<TrainReport> one = Train(configs[r], data, &single);
    ASSERT_OK(one.status());
    EXPECT_EQ(reports[r]->best_epoch, one->best_epoch) << "row " << r;
    EXPECT_EQ(reports[r]->history.size(), one->history.size()) << "row " << r;
    EXPECT_LE(MaxAbsDiff(packed[r].FlatParameters(), single.FlatParameters()), 1e-4f);
  }
}

// A run paused after epoch 1 and resumed from its checkpoint ends where an uninterrupted run
// ends; the GPU's checkpoints also resume on the CPU.
TEST(CudaCheckpoint, PauseAndResumeMatchUninterrupted) {
  SKIP_WITHOUT_GPU();
  TrainConfig c = Config(Optimizer::kAdam, Activation::kSigmoid, Loss::kCrossEntropy, {10});
  c.device = Device::kCuda;
  c.batch_size = 16;
  c.epochs = 3;
  const Dataset data = Random(200, 6, 3, 8);
  Mlp whole;
  StatusOr<TrainReport> uninterrupted = Train(c, data, &whole);
  ASSERT_OK(uninterrupted.status());
  TrainState saved;
  TrainHooks pause;
  pause.pause_after_epoch = 1;
  pause.on_checkpoint = [&](const TrainState& s) { saved = s; };
  Mlp first;
  StatusOr<TrainReport> paused = Train(c, data, &first, pause);
  ASSERT_OK(paused.status());
  EXPECT_TRUE(paused->paused);
  EXPECT_EQ(saved.epoch, 2);
  for (Device d : {Device::kCuda, Device::kCpu}) {
    TrainHooks resume;
    resume.resume = &saved;
    c.device = d;
    Mlp rest;
    StatusOr<TrainReport> resumed = Train(c, data, &rest, resume);
    ASSERT_OK(resumed.status());
    // The GPU resumes exactly (same kernels); the CPU only to float rounding of Adam.
    const float tol = d == Device::kCuda ? 1e-5f : 2e-3f;
    EXPECT_LE(MaxAbsDiff(rest.FlatParameters(), whole.FlatParameters()), tol) << ToString(d);
    EXPECT_EQ(resumed->history.size(), 3u);
  }
}

// A Spot notice mid-epoch: one checkpoint at the next mini-batch boundary, training goes on;
// resumed from that mid-epoch state (its batch order and loss sums), the run ends where the
// uninterrupted one does, with the same epoch records.
TEST(CudaCheckpoint, MidEpochNoticeResumes) {
  SKIP_WITHOUT_GPU();
  TrainConfig c = Config(Optimizer::kMomentum, Activation::kRelu, Loss::kCrossEntropy, {12});
  c.device = Device::kCuda;
  c.batch_size = 8;
  c.epochs = 2;
  c.data.validation_split = 0.25f;
  const Dataset data = Random(120, 5, 3, 6);
  std::atomic<bool> notice{true};
  std::vector<TrainState> saved;
  TrainHooks hooks;
  hooks.checkpoint_now = &notice;
  hooks.on_checkpoint = [&](const TrainState& s) { saved.push_back(s); };
  Mlp whole;
  StatusOr<TrainReport> uninterrupted = Train(c, data, &whole, hooks);
  ASSERT_OK(uninterrupted.status());
  ASSERT_EQ(saved.size(), 1u);
  EXPECT_EQ(saved[0].epoch, 1);
  EXPECT_EQ(saved[0].batches_done, 1);
  TrainHooks resume;
  resume.resume = &saved[0];
  Mlp rest;
  StatusOr<TrainReport> resumed = Train(c, data, &rest, resume);
  ASSERT_OK(resumed.status());
  EXPECT_LE(MaxAbsDiff(rest.FlatParameters(), whole.FlatParameters()), 1e-6f);
  ASSERT_EQ(resumed->history.size(), 2u);
  for (size_t e = 0; e < 2; ++e) {
    EXPECT_NEAR(resumed->history[e].train.loss, uninterrupted->history[e].train.loss, 1e-6);
  }
}

// A stop already set when a run resumed mid-epoch starts (a SIGTERM during a retry's start):
// the checkpoint is the point it resumed from, not its epoch's start with the weights past it.
TEST(CudaCheckpoint, StoppedBeforeTheFirstBatchOfAResumedRunKeepsItsPoint) {
  SKIP_WITHOUT_GPU();
  TrainConfig c = Config(Optimizer::kMomentum, Activation::kRelu, Loss::kCrossEntropy, {12});
  c.device = Device::kCuda;
  c.batch_size = 8;
  c.epochs = 2;
  const Dataset data = Random(120, 5, 3, 6);
  std::atomic<bool> notice{true};
  std::vector<TrainState> first;
  TrainHooks hooks;
  hooks.checkpoint_now = &notice;
  hooks.on_checkpoint = [&](const TrainState& s) { first.push_back(s); };
  Mlp whole;
  ASSERT_OK(Train(c, data, &whole, hooks).status());
  ASSERT_EQ(first.size(), 1u);
  ASSERT_GT(first[0].batches_done, 0);
  std::atomic<bool> stop{true};
  std::vector<TrainState> saved;
  TrainHooks stopped;
  stopped.stop = &stop;
  stopped.resume = &first[0];
  stopped.on_checkpoint = [&](const TrainState& s) { saved.push_back(s); };
  Mlp m;
  ASSERT_EQ(Train(c, data, &m, stopped).status().code(), StatusCode::kCancelled);
  ASSERT_EQ(saved.size(), 1u);
  EXPECT_EQ(saved[0].epoch, first[0].epoch);
  EXPECT_EQ(saved[0].batches_done, first[0].batches_done);
  EXPECT_EQ(saved[0].params, first[0].params);
}

// The stop flag: checkpoint, then Cancelled, as on the CPU.
TEST(CudaCheckpoint, StopCancelsAfterACheckpoint) {
  SKIP_WITHOUT_GPU();
  TrainConfig c = Config(Optimizer::kSgd, Activation::kRelu, Loss::kCrossEntropy, {4});
  c.device = Device::kCuda;
  std::atomic<bool> stop{true};
  int checkpoints = 0;
  TrainHooks hooks;
  hooks.stop = &stop;
  hooks.on_checkpoint = [&](const TrainState&) { ++checkpoints; };
  Mlp m;
  StatusOr<TrainReport> r = Train(c, Random(64, 3, 2, 2), &m, hooks);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kCancelled);
  EXPECT_EQ(checkpoints, 1);
}

}  // namespace
}  // namespace sweep::model
