// The Slurm side of `sweep submit` (sweep/engines/submit.h): sbatch, squeue and scontrol run as child
// processes (no Slurm library), so any Slurm whose commands are on PATH works.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "base/status.h"
#include "sweep/spec/array_plan.h"
#include "sweep/engines/submit.h"

namespace sweep {

struct SlurmRun {
  const SubmitOptions& options;  // storage already absolute
  const std::vector<ArrayPart>& parts;
  std::string params;  // absolute spec path or s3:// URI
  std::string storage;
  std::string job_name;
};

// MaxArraySize from `scontrol show config`; kSlurmDefaultMaxArraySize when scontrol fails.
int QuerySlurmMaxArraySize();

// One `sbatch --parsable --array=...` per part (with --dry-run: prints the commands instead),
// then with --wait polls squeue once a second until every array left the queue (bounded by
// wait_timeout_s) and reports the submitted rows from storage. Errors: Unavailable when sbatch
// fails or the wait times out; after --wait, when rows did not succeed: InvalidArgument if one
// of them failed with bad input (exit 2), else Unavailable.
Status SubmitToSlurm(const SlurmRun& run, int count, std::ostream& out);

// The environment a task gets on top of the caller's: SWEEP_PARAMS, SWEEP_STORAGE,
// SWEEP_WORKER_BIN and the part's Env(); SWEEP_INDEX* and AWS_BATCH_JOB_ARRAY_INDEX inherited
// from the caller are dropped (they would override the task's own index).
std::vector<std::string> SlurmTaskEnv(const std::vector<std::string>& caller_env,
                                      const SlurmRun& run, const ArrayPart& part,
                                      const std::string& worker);

}  // namespace sweep
