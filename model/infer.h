// The serving path's forward pass: one thread (the caller's), one scratch owned by the caller,
// no allocation once the scratch has grown to the largest batch seen (blocks of kInferBlock
// samples, so a huge request never grows it past one block).
//
// The same arithmetic as Predict (train.h): the same Forward kernels and softmax, so a served
// probability equals `sweep predict`'s bit for bit for the same batch of rows (a batch of one
// takes Eigen's matrix-vector path and may differ from a larger batch in the last bit).
// Thread-safety: an Inferer is not shared between threads; the Mlp may be (const).
#pragma once

#include <cstdint>
#include <memory>

#include "model/mlp.h"

namespace sweep::model {

class Workspace;

class Inferer {
 public:
  // Keeps a reference to `model`: it must outlive this Inferer.
  explicit Inferer(const Mlp& model);
  ~Inferer();
  Inferer(const Inferer&) = delete;
  Inferer& operator=(const Inferer&) = delete;

  const Mlp& model() const { return model_; }

  // Outputs of `n` samples at `x` (n * inputs() floats, sample after sample) into `out`
  // (n * outputs() floats, sample after sample): class probabilities for a softmax model.
  // Sets flush-to-zero for the call, as training does.
  void Run(const float* x, int64_t n, float* out);

 private:
  const Mlp& model_;
  std::unique_ptr<Workspace> ws_;
};

}  // namespace sweep::model
