// TrainPacked (train.h): cpu rows one by one, cuda rows grouped and handed to cuda::TrainRows.
#include <optional>
#include <utility>

#include "base/check.h"
#include "model/cuda/train_cuda.h"
#include "model/train.h"
#include "model/trainer.h"

namespace sweep::model {
namespace {

struct Group {
  std::vector<size_t> index;  // into the caller's rows
  std::vector<cuda::RowJob> jobs;
};

// Prepares row i for the GPU (checks, split, initial model) and puts it into the first group
// it fits, or a new one; a row that fails here gets its error in *out.
void AddCudaRow(size_t i, const TrainConfig& config, const Dataset& data, Mlp* model,
                const TrainHooks& hooks, std::vector<Group>* groups,
                std::vector<std::optional<StatusOr<TrainReport>>>* out) {
  const Status supported = CheckDeviceReady(config);
  if (!supported.ok()) {
    (*out)[i] = StatusOr<TrainReport>(supported);
    return;
  }
  StatusOr<Split> split = PrepareRun(config, data, model);
  if (!split.ok()) {
    (*out)[i] = StatusOr<TrainReport>(split.status());
    return;
  }
  cuda::RowJob job{&config, std::move(split->train), std::move(split->val), model, &hooks};
  for (Group& g : *groups) {
    if (g.jobs.size() < cuda::kMaxPackedRows && cuda::Packable(g.jobs.front(), job)) {
      g.index.push_back(i);
      g.jobs.push_back(std::move(job));
      return;
    }
  }
  groups->push_back(Group{{i}, {}});
  groups->back().jobs.push_back(std::move(job));
}

}  // namespace

std::vector<StatusOr<TrainReport>> TrainPacked(const std::vector<TrainConfig>& configs,
                                               const Dataset& data, const std::vector<Mlp*>& models,
                                               const std::vector<TrainHooks>& hooks,
                                               const RowDone& on_done) {
  SWEEP_CHECK(configs.size() == models.size() && configs.size() == hooks.size());
  std::vector<std::optional<StatusOr<TrainReport>>> out(configs.size());
  std::vector<Group> groups;
  for (size_t i = 0; i < configs.size(); ++i) {
    if (configs[i].device == Device::kCpu) {
      out[i] = Train(configs[i], data, models[i], hooks[i]);
      if (on_done) on_done(i, *out[i]);
    } else {
      AddCudaRow(i, configs[i], data, models[i], hooks[i], &groups, &out);
      if (out[i] && on_done) on_done(i, *out[i]);  // it failed before training
    }
  }
  for (Group& g : groups) {
    std::vector<StatusOr<TrainReport>> reports = cuda::TrainRows(data, g.jobs);
    for (size_t j = 0; j < g.index.size(); ++j) {
      out[g.index[j]] = std::move(reports[j]);
      if (on_done) on_done(g.index[j], *out[g.index[j]]);
    }
  }
  std::vector<StatusOr<TrainReport>> results;
  for (auto& r : out) results.push_back(std::move(*r));
  return results;
}

}  // namespace sweep::model
