// Parameter updates (sgd, momentum, adam, adamw) over the flat parameter order of
// ParameterLayout, split into ranges so that several threads update disjoint parts at once.
// Internal to sweep_model.
#pragma once

#include <cstdint>
#include <vector>

#include "model/config.h"
#include "model/kernels.h"
#include "model/mlp.h"

namespace sweep::model {

class OptimizerState {
 public:
  // `model` must outlive this object and keep its shapes; `parts` ranges are prepared.
  OptimizerState(const OptimizerConfig& config, Mlp* model, int parts);

  // Sums the per-thread gradients grads[0..num_grads) in index order (so the result depends
  // only on the thread count) and applies one update with rate `lr` to range `part`. `step`
  // is the 1-based update count (Adam's bias correction). Parts may run concurrently.
  void Update(int part, const float* const* grads, int num_grads, float lr, int64_t step);

  // The moments in the flat parameter order (momentum: velocity in the first; sgd: both empty),
  // for checkpoints. SetMoments requires the sizes moments() has.
  const std::vector<float>& moment1() const { return m_; }
  const std::vector<float>& moment2() const { return v_; }
  void SetMoments(const std::vector<float>& m, const std::vector<float>& v);

 private:
  struct Piece {  // a contiguous run of one parameter array inside one part
    float* param;
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
  std::vector<std::vector<Piece>> parts_;
  std::vector<float> m_, v_;  // first/second moments (momentum uses m_ as velocity)
};

}  // namespace sweep::model
