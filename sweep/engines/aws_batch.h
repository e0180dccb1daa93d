// AWS Batch: one SubmitJob per part (arrays 2..10,000; one row = a plain job), sent signed to
// the Batch API (cloud/aws/batch_client), or printed with --dry-run (one JSON body a line).
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sweep/engines/engine.h"

namespace sweep {

std::unique_ptr<JobArrayEngine> MakeAwsBatchEngine();

// The SubmitJob bodies for `parts`: SWEEP_PARAMS, SWEEP_STORAGE and each part's Env() as
// container overrides, arrayProperties.size = part size (absent for a plain job).
std::vector<nlohmann::json> BatchSubmitBodies(const SubmitOptions& options,
                                              const std::vector<ArrayPart>& parts,
                                              const std::string& params, const std::string& storage,
                                              const std::string& job_name);

// A rung's SubmitJob body (sweep/search/halving.h): SWEEP_RUNG among the container overrides
// when `rung` is set, and "dependsOn": [{"jobId": id}] for each of `depends_on` (the arrays of
// the rung before: a dependency on an array job waits for all its children).
void AddRungToBody(const std::string& rung, const std::vector<std::string>& depends_on,
                   nlohmann::json* body);

}  // namespace sweep
