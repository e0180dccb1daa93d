// `sweep submit`: run a sweep's rows as job arrays on AWS Batch, Slurm or Kubernetes.
//
// Every engine gets the same worker contract (worker/index.h): SWEEP_PARAMS (the spec),
// SWEEP_STORAGE (the results root) and, per array part (sweep/spec/array_plan.h), SWEEP_INDEX,
// SWEEP_INDEX_OFFSET or SWEEP_INDEX_MAP.
//   aws-batch  one SubmitJob per part (arrays 2..10,000; one row = a plain job), sent signed to
//              the Batch API, or printed with --dry-run (one JSON body a line, nothing sent).
//              The spec must be an s3:// URI (a local spec is allowed with --dry-run only).
//   slurm      one `sbatch --array=0-(n-1)[%P]` per part (parts of at most MaxArraySize), with
//              the built-in jobs/slurm/sweep.sbatch or --sbatch-script; logs per task in
//              {storage}/.slurm/%x-%A_%a.out; --wait blocks until the arrays leave the queue and
//              then reports the rows from storage.
//   k8s        --dry-run only: the Indexed Job manifests (jobs/k8s/indexed-job.yaml), one YAML
//              document per part, for `kubectl apply -f -`.
// --missing / --failed submit only the rows without a result / with a failed result
// (read from the storage root, sweep/results/scan.h).
#pragma once

#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/status.h"
#include "sweep/spec/array_plan.h"

namespace sweep {

enum class Engine { kAwsBatch, kSlurm, kK8s };

// "aws-batch", "slurm", "k8s" (also "kubernetes"). Errors: InvalidArgument with a suggestion.
StatusOr<Engine> ParseEngine(const std::string& name);

struct SubmitOptions {
  std::string spec;  // local path or s3:// URI
  Engine engine = Engine::kAwsBatch;
  std::string storage;   // results root as the workers see it; "" = /storage (batch, k8s)
  bool dry_run = false;  // print what would be submitted, submit nothing
  bool missing = false;  // only rows without a result.json (missing, unfinished, corrupt)
  bool failed = false;   // only rows whose result says failed
  std::string job_name;  // "" = "sweep-" + the first 8 hex digits of the rows hash
  // aws-batch
  std::string queue;
  std::string job_definition;
  std::string region;  // "" = AWS_REGION, AWS_DEFAULT_REGION, the profile's
  // slurm (max_parallel also sets the k8s parallelism)
  int max_parallel = 0;  // 0 = no cap
  bool wait = false;
  int wait_timeout_s = 0;                // 0 = no limit
  std::string sbatch_script;             // "" = built-in
  std::vector<std::string> sbatch_args;  // passed to sbatch before the script ("--partition=gpu")
  std::string worker;  // worker program for Slurm tasks; "" = $SWEEP_WORKER, the one
                       // next to `sweep`, else sweep-worker on PATH
  // k8s
  std::string image = "sweep-worker:latest";
  std::string pvc = "sweep-storage";
};

// Runs the submission; results go to `out` (job ids, or the --dry-run bodies/manifests),
// progress and advice to stderr. Errors: InvalidArgument for bad options or spec, NotFound,
// Unavailable for engine or network trouble (after some parts may have been submitted: the
// message says which).
Status Submit(const SubmitOptions& options, std::ostream& out);

// --- Pieces exposed for tests -------------------------------------------------------------

// "sweep-1a2b3c4d" for a rows hash; `index` >= 0 with several parts appends "-{index}".
std::string PartJobName(const std::string& base, int index, int parts);

// The SubmitJob bodies for `parts`: SWEEP_PARAMS, SWEEP_STORAGE and each part's Env() as
// container overrides, arrayProperties.size = part size (absent for a plain job).
std::vector<nlohmann::json> BatchSubmitBodies(const SubmitOptions& options,
                                              const std::vector<ArrayPart>& parts,
                                              const std::string& params, const std::string& storage,
                                              const std::string& job_name);

// "0-6", or "0-6%2" with a cap.
std::string SlurmArraySpec(const ArrayPart& part, int max_parallel);

// The Indexed Job manifests for `parts` (one YAML document each, "---" between).
// Errors: InvalidArgument for a name that is not a DNS label or a value YAML cannot carry.
StatusOr<std::string> RenderK8sJobs(const SubmitOptions& options,
                                    const std::vector<ArrayPart>& parts, const std::string& params,
                                    const std::string& storage, const std::string& job_name);

// Slurm's MaxArraySize from `scontrol show config` text; `fallback` when absent.
int ParseMaxArraySize(const std::string& scontrol_config, int fallback);

}  // namespace sweep
