// Kubernetes: --dry-run only, the Indexed Job manifests (jobs/k8s/indexed-job.yaml, compiled
// in), one YAML document per part, for `kubectl apply -f -`.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "sweep/engines/engine.h"

namespace sweep {

std::unique_ptr<JobArrayEngine> MakeK8sEngine();

// The Indexed Job manifests for `parts` (one YAML document each, "---" between).
// Errors: InvalidArgument for a name that is not a DNS label or a value YAML cannot carry.
StatusOr<std::string> RenderK8sJobs(const SubmitOptions& options,
                                    const std::vector<ArrayPart>& parts, const std::string& params,
                                    const std::string& storage, const std::string& job_name);

}  // namespace sweep
