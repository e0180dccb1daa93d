// Which row this worker trains, and which attempt this is: settled here, once, from the flag
// and the job-array engines' environment variables, then passed down as plain ints.
//
// Index, first match wins:
//   --index N, AWS_BATCH_JOB_ARRAY_INDEX, SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX,
//   BATCH_TASK_INDEX (Google Cloud Batch), SWEEP_INDEX.
// Then, for arrays that `sweep submit` split or narrowed:
//   SWEEP_INDEX_MAP   "3,5,9": the engine index i runs row map[i] (a rerun of chosen rows)
//   SWEEP_INDEX_OFFSET  added to the engine index (arrays past Batch's 10,000 children)
// A Batch job of size 1 has no index variable: pass --index 0 (`sweep submit` sets SWEEP_INDEX).
//
// Attempt (1-based): AWS_BATCH_JOB_ATTEMPT, else BATCH_TASK_RETRY_ATTEMPT + 1,
// else SLURM_RESTART_COUNT + 1, else 1.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "sweep/spec/array_plan.h"  // kMaxPack

namespace sweep::worker {

// Returns the value of an environment variable, or nullopt. Tests pass a fake.
using EnvFn = std::function<std::optional<std::string>(const std::string&)>;

EnvFn ProcessEnv();

// Errors: InvalidArgument when no source is set or a value is not a non-negative integer.
StatusOr<int> ResolveIndex(std::optional<int> flag, const EnvFn& env);

// Packed rows (--pack K, SWEEP_PACK): engine index i takes the K slots i*K .. i*K+K-1, each
// mapped through SWEEP_INDEX_MAP and SWEEP_INDEX_OFFSET as a single index is; slots at or past
// SWEEP_INDEX_COUNT (the rows of the array part, set by `sweep submit`) or past the map's end
// are dropped (a last pack may be short; the worker drops slots past the spec's end). Errors:
// what ResolveIndex returns; InvalidArgument for K outside 1..kMaxPack (sweep/spec/array_plan.h),
// or a first slot past SWEEP_INDEX_COUNT.
StatusOr<std::vector<int>> ResolvePackIndices(std::optional<int> flag, const EnvFn& env, int pack);

int ResolveAttempt(const EnvFn& env);

}  // namespace sweep::worker
