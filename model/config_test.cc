#include "model/config.h"

#include <gtest/gtest.h>

#include <cmath>

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
}

TEST(Config, ParseNamesTheChoices) {
  StatusOr<Optimizer> o = ParseOptimizer("adamm");
  ASSERT_FALSE(o.ok());
  EXPECT_EQ(o.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(o.status().message(),
            "optimizer must be one of sgd, momentum, adam, adamw, got 'adamm'");
  EXPECT_FALSE(ParseActivation("gelu").ok());
  EXPECT_FALSE(ParseLoss("").ok());
}

TEST(Config, DefaultsAreValid) { EXPECT_OK(Validate(TrainConfig())); }

// Each case breaks one rule; the message must name the row key.
struct BadCase {
  const char* expected;
  void (*mutate)(TrainConfig*);
};

TEST(Config, ValidateNamesTheRowKey) {
  const BadCase cases[] = {
      {"learning_rate must be > 0, got -1",
       [](TrainConfig* c) { c->optimizer.learning_rate = -1; }},
      {"learning_rate must be > 0, got nan",
       [](TrainConfig* c) { c->optimizer.learning_rate = std::nanf(""); }},
      {"momentum must be in [0, 1), got 1", [](TrainConfig* c) { c->optimizer.momentum = 1; }},
      {"nesterov requires optimizer momentum, got optimizer adam",
       [](TrainConfig* c) { c->optimizer.nesterov = true; }},
      {"weight_decay must be >= 0, got -0.1",
       [](TrainConfig* c) { c->optimizer.weight_decay = -0.1f; }},
      {"beta1 must be in [0, 1), got 1", [](TrainConfig* c) { c->optimizer.beta1 = 1; }},
      {"beta2 must be in [0, 1), got -0.5", [](TrainConfig* c) { c->optimizer.beta2 = -0.5f; }},
      {"epsilon must be > 0, got 0", [](TrainConfig* c) { c->optimizer.epsilon = 0; }},
      {"batch_size must be >= 0 (0 = full batch), got -3",
       [](TrainConfig* c) { c->batch_size = -3; }},
      {"epochs must be >= 1, got 0", [](TrainConfig* c) { c->epochs = 0; }},
      {"threads must be >= 0 (0 = CPU quota), got -1", [](TrainConfig* c) { c->threads = -1; }},
      {"validation_split must be in [0, 1), got 1",
       [](TrainConfig* c) { c->data.validation_split = 1; }},
      {"early_stopping_patience must be >= 0, got -2",
       [](TrainConfig* c) { c->early_stopping.patience = -2; }},
      {"early_stopping_patience > 0 requires validation_split > 0, got validation_split 0",
       [](TrainConfig* c) { c->early_stopping.patience = 3; }},
      {"early_stopping_metric must be one of val_loss, val_accuracy, got 'loss'",
       [](TrainConfig* c) { c->early_stopping.metric = "loss"; }},
      {"early_stopping_metric val_accuracy requires loss cross_entropy, got loss mse",
       [](TrainConfig* c) {
         c->early_stopping.metric = "val_accuracy";
         c->network.loss = Loss::kMse;
       }},
      {"lr_step_epochs must be >= 1, got 0", [](TrainConfig* c) { c->schedule.step_epochs = 0; }},
      {"lr_gamma must be in (0, 1], got 1.5", [](TrainConfig* c) { c->schedule.gamma = 1.5f; }},
      {"lr_min must be >= 0, got -1", [](TrainConfig* c) { c->schedule.min_lr = -1; }},
      {"lr_min must be <= learning_rate (0.001), got 0.01",
       [](TrainConfig* c) {
         c->schedule.kind = LrSchedule::kCosine;
         c->schedule.min_lr = 0.01f;
       }},
      {"hidden[1] must be >= 1, got 0",
       [](TrainConfig* c) {
         c->network.hidden = {8, 0};
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

TEST(Config, CrossFieldRulesPassWhenSatisfied) {
  TrainConfig c;
  c.optimizer.kind = Optimizer::kMomentum;
  c.optimizer.nesterov = true;
  c.early_stopping.patience = 2;
  c.early_stopping.metric = "val_accuracy";
  c.data.validation_split = 0.2f;
  c.schedule.kind = LrSchedule::kCosine;
  c.schedule.min_lr = 1e-4f;
  c.network.hidden = {4, 4};
  c.device = Device::kCuda;  // a build question, answered by Train, not Validate
  EXPECT_OK(Validate(c));
}

}  // namespace
}  // namespace sweep::model
