#include "model/config.h"

#include <gtest/gtest.h>

#include "base/testing.h"

namespace sweep::model {
namespace {

TEST(Config, EnumsRoundTripThroughTheirNames) {
  for (Activation v : {Activation::kRelu, Activation::kTanh, Activation::kSigmoid}) {
    EXPECT_EQ(*ParseActivation(ToString(v)), v);
  }
  for (Loss v : {Loss::kCrossEntropy, Loss::kMse}) EXPECT_EQ(*ParseLoss(ToString(v)), v);
  for (Optimizer v : {Optimizer::kSgd, Optimizer::kMomentum, Optimizer::kAdam, Optimizer::kAdamW}) {
    EXPECT_EQ(*ParseOptimizer(ToString(v)), v);
  }
  for (LrSchedule v : {LrSchedule::kConstant, LrSchedule::kStep, LrSchedule::kCosine}) {
    EXPECT_EQ(*ParseLrSchedule(ToString(v)), v);
  }
  for (Init v : {Init::kAuto, Init::kHe, Init::kXavier}) EXPECT_EQ(*ParseInit(ToString(v)), v);
  for (Device v : {Device::kCpu, Device::kCuda}) EXPECT_EQ(*ParseDevice(ToString(v)), v);
  for (auto v : {EarlyStoppingMetric::kValLoss, EarlyStoppingMetric::kValAccuracy}) {
    EXPECT_EQ(*ParseEarlyStoppingMetric(ToString(v)), v);
  }
}

TEST(Config, ParseNamesTheChoices) {
  StatusOr<Optimizer> o = ParseOptimizer("adamm");
  ASSERT_FALSE(o.ok());
  EXPECT_EQ(o.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(o.status().message(),
            "optimizer must be one of sgd, momentum, adam, adamw, got 'adamm' (did you mean "
            "'adam'?)");
  EXPECT_EQ(ParseEarlyStoppingMetric("loss").status().message(),
            "early_stopping_metric must be one of val_loss, val_accuracy, got 'loss'");
  EXPECT_EQ(ChoiceNames<Activation>(), "relu, tanh, sigmoid");
  EXPECT_EQ(ChoiceNames<EarlyStoppingMetric>(), "val_loss, val_accuracy");
  EXPECT_FALSE(ParseActivation("gelu").ok());
  EXPECT_FALSE(ParseLoss("").ok());
}

// Keras and PyTorch write "Adam", "ReLU"; the canonical name comes back lower-case.
TEST(Config, ParseIgnoresCase) {
  EXPECT_EQ(*ParseOptimizer("Adam"), Optimizer::kAdam);
  EXPECT_EQ(*ParseOptimizer("SGD"), Optimizer::kSgd);
  EXPECT_EQ(*ParseOptimizer("AdamW"), Optimizer::kAdamW);
  EXPECT_EQ(*ParseActivation("ReLU"), Activation::kRelu);
  EXPECT_EQ(*ParseLoss("MSE"), Loss::kMse);
  EXPECT_EQ(*ParseLrSchedule("Cosine"), LrSchedule::kCosine);
  EXPECT_EQ(*ParseInit("Xavier"), Init::kXavier);
  EXPECT_EQ(*ParseDevice("CUDA"), Device::kCuda);
  EXPECT_EQ(*ParseEarlyStoppingMetric("Val_Accuracy"), EarlyStoppingMetric::kValAccuracy);
  EXPECT_EQ(ToString(*ParseOptimizer("ADAM")), "adam");
  EXPECT_EQ(ParseOptimizer("Adamm").status().message(),
            "optimizer must be one of sgd, momentum, adam, adamw, got 'Adamm' (did you mean "
            "'adam'?)");
}

TEST(Config, DefaultsAreValid) { EXPECT_OK(Validate(TrainConfig())); }

// Each case breaks one rule between fields; the message must name the row keys. Each field's
// own range is checked with its row key (sweep/spec/row_keys_test.cc).
struct BadCase {
  const char* expected;
  void (*mutate)(TrainConfig*);
};

TEST(Config, ValidateNamesTheRowKey) {
  const BadCase cases[] = {
      {"nesterov requires optimizer momentum, got optimizer adam",
       [](TrainConfig* c) { c->optimizer.nesterov = true; }},
      {"early_stopping_patience > 0 requires validation_split > 0, got validation_split 0",
       [](TrainConfig* c) { c->early_stopping.patience = 3; }},
      {"early_stopping_metric val_accuracy requires loss cross_entropy, got loss mse",
       [](TrainConfig* c) {
         c->early_stopping.metric = EarlyStoppingMetric::kValAccuracy;
         c->network.loss = Loss::kMse;
       }},
      {"lr_min must be <= learning_rate (0.001), got 0.01",
       [](TrainConfig* c) {
         c->schedule.kind = LrSchedule::kCosine;
         c->schedule.min_lr = 0.01f;
       }},
  };
  for (const BadCase& bad : cases) {
    TrainConfig c;
    bad.mutate(&c);
    Status s = Validate(c);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << bad.expected;
    EXPECT_EQ(s.message(), bad.expected);
  }
}

TEST(Config, ValidateListsEveryBrokenRule) {
  TrainConfig c;
  c.optimizer.nesterov = true;
  c.early_stopping.patience = 3;
  EXPECT_EQ(CrossFieldProblems(c),
            (std::vector<std::string>{
                "nesterov requires optimizer momentum, got optimizer adam",
                "early_stopping_patience > 0 requires validation_split > 0, got validation_split "
                "0"}));
  EXPECT_EQ(Validate(c).message(),
            "nesterov requires optimizer momentum, got optimizer adam; early_stopping_patience > "
            "0 requires validation_split > 0, got validation_split 0");
  EXPECT_TRUE(CrossFieldProblems(TrainConfig()).empty());
}

TEST(Config, CrossFieldRulesPassWhenSatisfied) {
  TrainConfig c;
  c.optimizer.kind = Optimizer::kMomentum;
  c.optimizer.nesterov = true;
  c.early_stopping.patience = 2;
  c.early_stopping.metric = EarlyStoppingMetric::kValAccuracy;
  c.data.validation_split = 0.2f;
  c.schedule.kind = LrSchedule::kCosine;
  c.schedule.min_lr = 1e-4f;
  c.network.hidden = {4, 4};
  c.device = Device::kCuda;  // a build question, answered by Train, not Validate
  EXPECT_OK(Validate(c));
}

TEST(CheckDeviceBuilt, CpuAlwaysCudaOnlyInACudaBuild) {
  EXPECT_OK(CheckDeviceBuilt(Device::kCpu));
  Status cuda = CheckDeviceBuilt(Device::kCuda);
  EXPECT_EQ(cuda.ok(), CudaAvailable());
  if (!CudaAvailable()) {
    EXPECT_EQ(cuda.code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(cuda.message(),
              "this build of sweep-worker has no CUDA (device: cuda); use device: cpu or a CUDA "
              "build");
  }
}

}  // namespace
}  // namespace sweep::model
