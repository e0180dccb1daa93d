#include "sweep/engines/engine.h"

#include "base/strings.h"
#include "sweep/engines/aws_batch.h"
#include "sweep/engines/k8s.h"
#include "sweep/engines/slurm.h"

namespace sweep {

StatusOr<Engine> ParseEngine(const std::string& name) {
  if (name == "aws-batch" || name == "batch") return Engine::kAwsBatch;
  if (name == "slurm") return Engine::kSlurm;
  if (name == "k8s" || name == "kubernetes") return Engine::kK8s;
  return Status::InvalidArgument("unknown engine '" + name + "'" +
                                 DidYouMean(name, {"aws-batch", "slurm", "k8s"}) +
                                 ": use aws-batch, slurm or k8s");
}

std::unique_ptr<JobArrayEngine> MakeEngine(Engine kind) {
  switch (kind) {
    case Engine::kSlurm:
      return MakeSlurmEngine();
    case Engine::kK8s:
      return MakeK8sEngine();
    case Engine::kAwsBatch:
      break;
  }
  return MakeAwsBatchEngine();
}

std::string PartJobName(const std::string& base, int index, int parts) {
  return parts > 1 ? base + "-" + std::to_string(index) : base;
}

}  // namespace sweep
