// Slurm: one `sbatch --array=0-(n-1)[%P]` per part (parts of at most MaxArraySize), with the
// built-in jobs/slurm/sweep.sbatch or --sbatch-script; logs per task in
// {storage}/.slurm/%x-%A_%a.out; --wait blocks until the arrays leave the queue, then reports
// the rows from storage. sbatch, squeue and scontrol run as child processes (no Slurm
// library), so any Slurm whose commands are on PATH works. Before submitting, the plan
// (sweep.json) is pinned in the shared storage (PinSlurmPlan): a changed spec is refused unless
// --replan (sweep/spec/replan.h).
#pragma once

#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "sweep/engines/engine.h"
#include "sweep/spec/array_plan.h"

namespace sweep {

std::unique_ptr<JobArrayEngine> MakeSlurmEngine();

// Pins the plan of `spec` (read by the tasks from `params`) in `storage_root` before anything is
// selected or submitted: ReplanStorage with `replan`. Errors: as ReplanStorage.
Status PinSlurmPlan(const std::string& storage_root, const std::string& params, const Spec& spec,
                    bool replan);

// Polls squeue until none of `ids` is pending or running. Errors: Unavailable after
// `timeout_s` (0 = no limit).
Status WaitForSlurmJobs(const std::vector<std::string>& ids, int timeout_s);

// MaxArraySize from `scontrol show config`; kSlurmDefaultMaxArraySize when scontrol fails.
int QuerySlurmMaxArraySize();

// "0-6", or "0-6%2" with a cap.
std::string SlurmArraySpec(const ArrayPart& part, int max_parallel);

// Slurm's MaxArraySize from `scontrol show config` text; `fallback` when absent.
int ParseMaxArraySize(const std::string& scontrol_config, int fallback);

// The environment a task gets on top of the caller's: SWEEP_PARAMS, SWEEP_STORAGE,
// SWEEP_WORKER_BIN, the part's Env() and SWEEP_RUNG for a rung's array; SWEEP_INDEX*,
// SWEEP_RUNG and AWS_BATCH_JOB_ARRAY_INDEX inherited from the caller are dropped (they would
// override the task's own index).
std::vector<std::string> SlurmTaskEnv(const std::vector<std::string>& caller_env,
                                      const ArraySubmission& run, const ArrayPart& part,
                                      const std::string& worker);

}  // namespace sweep
