#include "model/train.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "base/random.h"
#include "base/testing.h"

#if defined(__x86_64__)
#include <xmmintrin.h>
#endif

namespace sweep::model {
namespace {

// Gaussian-ish blobs around well separated centres: linearly separable in practice.
Dataset Blobs(int64_t rows, int cols, int classes, uint64_t seed, float spread = 0.3f) {
  SplitMix64Rng rng(seed);
  std::vector<float> centres(classes * cols);
  for (float& c : centres) c = 4.0f * UniformFloat(rng) - 2.0f;
  Dataset d;
  d.rows = rows;
  d.cols = cols;
  d.num_classes = classes;
  d.source = "synthetic:blobs";
  for (int64_t i = 0; i < rows; ++i) {
    const int label = static_cast<int>(i % classes);
    for (int j = 0; j < cols; ++j) {
      const float noise = UniformFloat(rng) + UniformFloat(rng) + UniformFloat(rng) - 1.5f;
      d.x.push_back(centres[label * cols + j] + spread * noise);
    }
    d.y.push_back(static_cast<float>(label));
  }
  return d;
}

// y = a . x + 0.5 with x in [-1, 1).
Dataset Linear(int64_t rows, int cols, uint64_t seed) {
  SplitMix64Rng rng(seed);
  Dataset d;
  d.rows = rows;
  d.cols = cols;
  d.source = "synthetic:linear";
  for (int64_t i = 0; i < rows; ++i) {
    float y = 0.5f;
    for (int j = 0; j < cols; ++j) {
      const float v = 2.0f * UniformFloat(rng) - 1.0f;
      d.x.push_back(v);
      y += (j % 3 - 1) * 0.7f * v;
    }
    d.y.push_back(y);
  }
  return d;
}

TrainConfig SmallConfig() {
  TrainConfig c;
  c.network.hidden = {16};
  c.optimizer.learning_rate = 0.01f;
  c.batch_size = 32;
  c.epochs = 15;
  c.threads = 1;
  c.seed = 42;
  return c;
}

bool SameWeights(const Mlp& a, const Mlp& b) {
  if (a.layers().size() != b.layers().size()) return false;
  for (size_t k = 0; k < a.layers().size(); ++k) {
    const DenseLayer &x = a.layers()[k], &y = b.layers()[k];
    if (x.w.size() != y.w.size() || x.b.size() != y.b.size()) return false;
    if (std::memcmp(x.w.data(), y.w.data(), x.w.size() * sizeof(float)) != 0) return false;
    if (std::memcmp(x.b.data(), y.b.data(), x.b.size() * sizeof(float)) != 0) return false;
  }
  return true;
}

double WeightNorm(const Mlp& m) {
  double s = 0;
  for (const DenseLayer& l : m.layers()) s += l.w.squaredNorm();
  return std::sqrt(s);
}

// Pinned bit for bit (recorded before the PRNG moved to base/random.h): the generator behind
// weight init, the epoch shuffles (SubSeed(seed, 2)) and the validation split (SubSeed(seed, 3)).
TEST(Random, StreamsArePinned) {
  SplitMix64Rng r(5);
  const uint64_t next = r.Next(), below = UniformBelow(r, 1000);
  const float u = UniformFloat(r);
  EXPECT_EQ(next, 0x63033b0ca389c35aull);
  EXPECT_EQ(below, 752ull);
  EXPECT_EQ(u, 0x1.dc9698p-3f);
  EXPECT_EQ(SubSeed(42, 1), 0x3b3335584873a7b9ull);
  EXPECT_EQ(SubSeed(42, 2), 0xdc5a84b9a60bd82cull);
  EXPECT_EQ(SubSeed(42, 3), 0x8f6ecc76132e5b97ull);
  // The Fisher-Yates shuffle SplitRows and each epoch run on the row indices.
  std::vector<int64_t> order(10);
  for (int64_t i = 0; i < 10; ++i) order[i] = i;
  SplitMix64Rng shuffle(SubSeed(42, 3));
  for (int64_t i = 9; i > 0; --i) std::swap(order[i], order[UniformBelow(shuffle, i + 1)]);
  EXPECT_EQ(order, (std::vector<int64_t>{7, 0, 3, 2, 5, 8, 9, 1, 4, 6}));
}

class EachOptimizer : public ::testing::TestWithParam<Optimizer> {};

TEST_P(EachOptimizer, SeparatesBlobs) {
  const Dataset data = Blobs(300, 8, 3, 1);
  TrainConfig c = SmallConfig();
  c.optimizer.kind = GetParam();
  if (c.optimizer.kind == Optimizer::kSgd || c.optimizer.kind == Optimizer::kMomentum) {
    c.optimizer.learning_rate = 0.1f;
  }
  Mlp m;
  StatusOr<TrainReport> r = Train(c, data, &m);
  ASSERT_OK(r);
  EXPECT_EQ(r->history.size(), 15u);
  EXPECT_GE(r->train.accuracy, 0.99);
  EXPECT_LT(r->history.back().train.loss, r->history.front().train.loss);
  EXPECT_TRUE(std::isnan(r->val.loss));
  EXPECT_EQ(r->best_epoch, 15);
}

INSTANTIATE_TEST_SUITE_P(All, EachOptimizer,
                         ::testing::Values(Optimizer::kSgd, Optimizer::kMomentum, Optimizer::kAdam,
                                           Optimizer::kAdamW));

TEST(Train, NesterovAndSoftmaxRegressionFullBatch) {
  const Dataset data = Blobs(101, 16, 7, 2);
  TrainConfig c = SmallConfig();
  c.network.hidden = {};
  c.optimizer.kind = Optimizer::kMomentum;
  c.optimizer.nesterov = true;
  c.optimizer.learning_rate = 0.1f;
  c.batch_size = 0;
  c.epochs = 200;
  Mlp m;
  StatusOr<TrainReport> r = Train(c, data, &m);
  ASSERT_OK(r);
  EXPECT_EQ(m.layers().size(), 1u);
  EXPECT_GE(r->train.accuracy, 0.99);
}

TEST(Train, SameSeedSameWeightsBitForBitWithTwoThreads) {
  const Dataset data = Blobs(1000, 32, 4, 3);
  TrainConfig c = SmallConfig();
  c.network.hidden = {128, 64};  // big enough per step to really use two threads
  c.batch_size = 100;
  c.epochs = 2;
  c.threads = 2;
  c.data.validation_split = 0.1f;
  Mlp a, b, other;
  ASSERT_OK(Train(c, data, &a));
  ASSERT_OK(Train(c, data, &b));
  EXPECT_TRUE(SameWeights(a, b));
  c.seed = 43;
  ASSERT_OK(Train(c, data, &other));
  EXPECT_FALSE(SameWeights(a, other));
}

TEST(Train, LastBatchSmallerThanTheThreadCount) {
  const Dataset data = Blobs(901, 32, 4, 3);  // last batch: one row, thread 0 gets none
  TrainConfig c = SmallConfig();
  c.network.hidden = {128, 64};
  c.batch_size = 100;
  c.epochs = 2;
  c.threads = 2;
  Mlp a, b;
  StatusOr<TrainReport> r = Train(c, data, &a);
  ASSERT_OK(r);
  ASSERT_OK(Train(c, data, &b));
  EXPECT_TRUE(SameWeights(a, b));
  EXPECT_TRUE(std::isfinite(r->history.back().train.loss));
  EXPECT_GE(r->train.accuracy, 0.9);
}

TEST(Train, TwoThreadsLearnLikeOne) {
  const Dataset data = Blobs(1000, 32, 4, 3);
  TrainConfig c = SmallConfig();
  c.network.hidden = {128, 64};
  c.batch_size = 100;
  c.epochs = 3;
  Mlp one, two;
  StatusOr<TrainReport> r1 = Train(c, data, &one);
  c.threads = 2;
  StatusOr<TrainReport> r2 = Train(c, data, &two);
  ASSERT_OK(r1);
  ASSERT_OK(r2);
  // Only the summation order differs.
  EXPECT_NEAR(r1->train.loss, r2->train.loss, 1e-3 + 1e-2 * r1->train.loss);
  EXPECT_NEAR((one.layers()[0].w - two.layers()[0].w).cwiseAbs().maxCoeff(), 0.0f, 1e-3f);
}

TEST(Train, EarlyStoppingStopsAndRestoresTheBestEpoch) {
  const Dataset data = Blobs(200, 8, 3, 4);
  TrainConfig c = SmallConfig();
  c.data.validation_split = 0.25f;
  c.early_stopping.patience = 2;
  c.early_stopping.min_delta = 1e9f;  // nothing after epoch 1 counts as better
  Mlp m;
  StatusOr<TrainReport> r = Train(c, data, &m);
  ASSERT_OK(r);
  EXPECT_TRUE(r->stopped_early);
  EXPECT_EQ(r->history.size(), 3u);
  EXPECT_EQ(r->best_epoch, 1);
  EXPECT_FALSE(std::isnan(r->history[0].val.loss));
  EXPECT_FALSE(std::isnan(r->val.accuracy));
  // The restored weights are exactly those after one epoch.
  c.early_stopping.patience = 0;
  c.epochs = 1;
  Mlp one_epoch;
  ASSERT_OK(Train(c, data, &one_epoch));
  EXPECT_TRUE(SameWeights(m, one_epoch));
  EXPECT_DOUBLE_EQ(r->val.loss, r->history[0].val.loss);
}

TEST(Train, EarlyStoppingOnAccuracyRunsOnWhileImproving) {
  const Dataset data = Blobs(200, 8, 3, 4);
  TrainConfig c = SmallConfig();
  c.data.validation_split = 0.25f;
  c.early_stopping.patience = 50;
  c.early_stopping.metric = EarlyStoppingMetric::kValAccuracy;
  Mlp m;
  StatusOr<TrainReport> r = Train(c, data, &m);
  ASSERT_OK(r);
  EXPECT_FALSE(r->stopped_early);
  EXPECT_EQ(r->history.size(), 15u);
  EXPECT_GE(r->best_epoch, 1);
  EXPECT_GE(r->val.accuracy, 0.95);
}

TEST(Train, SchedulesSetTheRatePerEpoch) {
  const Dataset data = Blobs(64, 4, 2, 5);
  TrainConfig c = SmallConfig();
  c.optimizer.learning_rate = 0.1f;
  c.epochs = 5;
  c.schedule.kind = LrSchedule::kStep;
  c.schedule.step_epochs = 2;
  c.schedule.gamma = 0.5f;
  Mlp m;
  StatusOr<TrainReport> r = Train(c, data, &m);
  ASSERT_OK(r);
  const double step[] = {0.1, 0.1, 0.05, 0.05, 0.025};
  for (int e = 0; e < 5; ++e) {
    EXPECT_NEAR(r->history[e].learning_rate, step[e], 1e-7) << e;
    EXPECT_EQ(r->history[e].epoch, e + 1);
    EXPECT_GE(r->history[e].seconds, 0.0);
  }
  c.schedule.kind = LrSchedule::kCosine;
  c.schedule.min_lr = 0.02f;
  EXPECT_NEAR(ScheduledLearningRate(c, 1), 0.1, 1e-7);
  EXPECT_NEAR(ScheduledLearningRate(c, 3), 0.06, 1e-7);
  EXPECT_NEAR(ScheduledLearningRate(c, 5), 0.02, 1e-7);
  c.schedule.kind = LrSchedule::kConstant;
  EXPECT_NEAR(ScheduledLearningRate(c, 4), 0.1, 1e-7);
}

TEST(Train, MseRegressionReducesLoss) {
  const Dataset data = Linear(400, 6, 6);
  TrainConfig c = SmallConfig();
  c.network.loss = Loss::kMse;
  c.network.activation = Activation::kTanh;
  c.data.validation_split = 0.2f;
  Mlp m;
  StatusOr<TrainReport> r = Train(c, data, &m);
  ASSERT_OK(r);
  EXPECT_EQ(m.outputs(), 1);
  EXPECT_EQ(m.ActivationName(1), "linear");
  EXPECT_LT(r->train.loss, 0.05 * r->history.front().train.loss);
  EXPECT_LT(r->val.loss, 0.05);
  EXPECT_TRUE(std::isnan(r->train.accuracy));
  EXPECT_FALSE(r->diverged.has_value());
}

// Two sane epochs, then a rate of 100 from epoch 3: the loss overflows within a few steps.
TEST(Train, NonFiniteLossStopsAtOnceKeepingTheLastFiniteEpoch) {
  const Dataset data = Linear(400, 6, 6);
  for (int threads : {1, 2}) {
    TrainConfig c = SmallConfig();
    c.network.loss = Loss::kMse;
    c.optimizer.kind = Optimizer::kSgd;
    c.optimizer.learning_rate = 0.01f;
    c.schedule.kind = LrSchedule::kStep;
    c.schedule.step_epochs = 2;
    c.schedule.gamma = 10000.0f;
    c.data.validation_split = 0.2f;
    c.epochs = 50;
    c.threads = threads;
    int epochs_seen = 0;
    TrainHooks hooks;
    hooks.on_epoch = [&](const EpochRecord& e) { epochs_seen = e.epoch; };
    Mlp m;
    StatusOr<TrainReport> r = Train(c, data, &m, hooks);
    ASSERT_OK(r);
    ASSERT_TRUE(r->diverged.has_value()) << threads;
    EXPECT_EQ(r->diverged->epoch, 3);
    const int64_t steps_per_epoch = (320 + 31) / 32;
    EXPECT_GT(r->diverged->step, 2 * steps_per_epoch);
    EXPECT_LE(r->diverged->step, 3 * steps_per_epoch);
    EXPECT_EQ(r->diverged->what.rfind("train loss ", 0), 0u) << r->diverged->what;
    EXPECT_EQ(epochs_seen, 2);
    ASSERT_EQ(r->history.size(), 2u);
    EXPECT_EQ(r->best_epoch, 2);
    EXPECT_TRUE(std::isfinite(r->train.loss));
    EXPECT_EQ(r->train.loss, r->history.back().train.loss);
    EXPECT_EQ(r->val.loss, r->history.back().val.loss);
    EXPECT_EQ(DescribeDivergence(*r->diverged), "diverged at epoch 3 (step " +
                                                    std::to_string(r->diverged->step) +
                                                    "): " + r->diverged->what);
  }
}

TEST(Train, DivergingInTheFirstEpochLeavesNoMetrics) {
  const Dataset data = Linear(400, 6, 6);
  TrainConfig c = SmallConfig();
  c.network.loss = Loss::kMse;
  c.optimizer.kind = Optimizer::kSgd;
  c.optimizer.learning_rate = 100.0f;
  Mlp m;
  StatusOr<TrainReport> r = Train(c, data, &m);
  ASSERT_OK(r);
  ASSERT_TRUE(r->diverged.has_value());
  EXPECT_EQ(r->diverged->epoch, 1);
  EXPECT_TRUE(r->history.empty());
  EXPECT_EQ(r->best_epoch, 0);
  EXPECT_TRUE(std::isnan(r->train.loss));
}

TEST(Train, WeightDecayShrinksWeights) {
  const Dataset data = Blobs(200, 8, 3, 7);
  for (Optimizer o : {Optimizer::kSgd, Optimizer::kAdam, Optimizer::kAdamW}) {
    TrainConfig c = SmallConfig();
    c.optimizer.kind = o;
    Mlp plain, decayed;
    ASSERT_OK(Train(c, data, &plain));
    c.optimizer.weight_decay = o == Optimizer::kAdam ? 0.05f : 1.0f;
    ASSERT_OK(Train(c, data, &decayed));
    EXPECT_LT(WeightNorm(decayed), 0.8 * WeightNorm(plain)) << ToString(o);
  }
}

TEST(Train, StopFlagCancels) {
  const Dataset data = Blobs(200, 8, 3, 8);
  TrainConfig c = SmallConfig();
  std::atomic<bool> stop{true};
  TrainHooks hooks;
  hooks.stop = &stop;
  Mlp m;
  StatusOr<TrainReport> r = Train(c, data, &m, hooks);
  EXPECT_EQ(r.status().code(), StatusCode::kCancelled);
  // Set mid-run, from the epoch callback.
  stop = false;
  int epochs_seen = 0;
  hooks.on_epoch = [&](const EpochRecord& e) {
    epochs_seen = e.epoch;
    if (e.epoch == 2) stop = true;
  };
  c.threads = 2;
  r = Train(c, data, &m, hooks);
  EXPECT_EQ(r.status().code(), StatusCode::kCancelled);
  EXPECT_EQ(epochs_seen, 2);
}

TEST(Train, TrainingThreadsFlushDenormals) {
#if defined(__x86_64__)
  const unsigned before = _mm_getcsr();
  const Dataset data = Blobs(64, 4, 2, 9);
  TrainConfig c = SmallConfig();
  c.epochs = 1;
  unsigned inside = 0;
  TrainHooks hooks;
  hooks.on_epoch = [&](const EpochRecord&) { inside = _mm_getcsr(); };
  Mlp m;
  ASSERT_OK(Train(c, data, &m, hooks));
  EXPECT_EQ(inside & 0x8040u, 0x8040u);
  constexpr unsigned kControlBits = ~0x3Fu;  // the low six bits are sticky exception flags
  EXPECT_EQ(_mm_getcsr() & kControlBits, before & kControlBits);
#else
  GTEST_SKIP() << "x86 only";
#endif
}

TEST(Train, RejectsDataThatDoesNotFit) {
  TrainConfig c = SmallConfig();
  Mlp m;
  Dataset data = Blobs(50, 4, 2, 10);
  data.num_classes = 1;
  StatusOr<TrainReport> r = Train(c, data, &m);
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("synthetic:blobs"), std::string::npos);
  data.num_classes = 2;
  data.y[3] = 2;
  r = Train(c, data, &m);
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("row 3"), std::string::npos) << r.status().message();
  data.y[3] = 0.5f;
  EXPECT_EQ(Train(c, data, &m).status().code(), StatusCode::kInvalidArgument);
  data.y[3] = 1;
  c.data.validation_split = 0.01f;  // 0.5 of a row
  EXPECT_EQ(Train(c, data, &m).status().code(), StatusCode::kInvalidArgument);
  c.data.validation_split = 0;
  c.device = Device::kCuda;
  if (!CudaAvailable()) {
    r = Train(c, data, &m);
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(r.status().message(), CheckDeviceBuilt(Device::kCuda).message());
  }
  EXPECT_EQ(Train(SmallConfig(), Dataset(), &m).status().code(), StatusCode::kInvalidArgument);
}

TEST(Evaluate, DoesNotDependOnThreadsAndPredictGivesProbabilities) {
  const Dataset data = Blobs(1000, 8, 3, 11);
  TrainConfig c = SmallConfig();
  c.epochs = 3;
  Mlp m;
  StatusOr<TrainReport> r = Train(c, data, &m);
  ASSERT_OK(r);
  const Metrics one = Evaluate(m, data, Loss::kCrossEntropy, 1);
  const Metrics three = Evaluate(m, data, Loss::kCrossEntropy, 3);
  EXPECT_EQ(one.loss, three.loss);
  EXPECT_EQ(one.accuracy, three.accuracy);
  EXPECT_NEAR(one.loss, r->train.loss, 1e-6 * one.loss);  // same rows, other order
  const Matrix p = Predict(m, data, 2);
  ASSERT_EQ(p.rows(), 3);
  ASSERT_EQ(p.cols(), 1000);
  int correct = 0;
  for (Eigen::Index i = 0; i < p.cols(); ++i) {
    EXPECT_NEAR(p.col(i).sum(), 1.0f, 1e-5f);
    Eigen::Index arg;
    p.col(i).maxCoeff(&arg);
    correct += arg == static_cast<Eigen::Index>(data.y[i]);
  }
  EXPECT_NEAR(correct / 1000.0, one.accuracy, 1e-9);
}

}  // namespace
TEST(Train, AModelTooLargeForTheMemoryIsInvalidArgumentNotACrash) {
  const Dataset d = Blobs(100, 20, 3, 1);
  TrainConfig c = SmallConfig();
  c.network.hidden = {100000, 100000};
  Mlp mlp;
  StatusOr<TrainReport> r = Train(c, d, &mlp);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("1e+10 parameters for 20 inputs"), std::string::npos)
      << r.status().message();
  c.network.hidden = {2000000000};  // one layer of 2e9 units: no int overflow on the way
  EXPECT_EQ(Train(c, d, &mlp).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace sweep::model
