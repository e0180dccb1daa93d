// Parameter updates (sgd, momentum, adam, adamw) over ranges of the flat parameter order of
// ParameterLayout, so that several threads can update disjoint parts at once, each right after
// computing that part's gradient. Internal to sweep_model.
#pragma once

#include <cstdint>
#include <vector>

#include "model/config.h"
#include "model/kernels.h"
#include "model/mlp.h"

namespace sweep::model {

class OptimizerState {
 public:
  // `model` must outlive this object and keep its shapes.
  OptimizerState(const OptimizerConfig& config, Mlp* model);

  // Applies one update with rate `lr` to the parameters [offset, offset + size) of the flat
  // order from the gradient at grad[offset..), then clears those gradient entries (the next
  // step accumulates into them). `step` is the 1-based update count (Adam's bias correction).
  // Requires: the range lies inside one layer's w or b. Disjoint ranges may run concurrently.
  void Update(int64_t offset, int64_t size, float* grad, float lr, int64_t step);

 private:
  struct Array {  // one layer's w or b
    float* data;
    int64_t offset;  // in the flat order
    int64_t size;
    bool decay;  // weights decay, biases do not
  };
  struct Step {
    float lr;       // this epoch's rate
    float adam_lr;  // adam/adamw: lr with both bias corrections folded in
  };
  void UpdateChunk(float* w, float* g, int64_t offset, int64_t size, bool decay, const Step& st);

  OptimizerConfig config_;
  std::vector<Array> arrays_;
  std::vector<float> m_, v_;  // first/second moments (momentum uses m_ as velocity)
};

}  // namespace sweep::model
