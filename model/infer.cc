#include "model/infer.h"

#include <algorithm>
#include <cstring>

#include "model/evaluate.h"
#include "model/kernels.h"
#include "model/thread_pool.h"

namespace sweep::model {

Inferer::Inferer(const Mlp& model)
    : model_(model), ws_(std::make_unique<Workspace>(model, kEvalBlock)) {}

Inferer::~Inferer() = default;

void Inferer::Run(const float* x, int64_t n, float* out) {
  ScopedFlushDenormals ftz;
  const size_t last = model_.layers().size() - 1;
  const int outputs = model_.outputs();
  for (int64_t lo = 0; lo < n; lo += kEvalBlock) {
    const int m = static_cast<int>(std::min<int64_t>(kEvalBlock, n - lo));
    Forward(model_, x + lo * model_.inputs(), m, ws_.get());
    MatrixMap z = ws_->A(last, m);
    if (model_.output() == OutputKind::kSoftmax) SoftmaxColumns(z);
    std::memcpy(out + lo * outputs, z.data(), sizeof(float) * outputs * m);
  }
}

}  // namespace sweep::model
