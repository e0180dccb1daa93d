// The job-array engines behind `sweep submit` (AWS Batch, Slurm, Kubernetes), one interface.
// sweep/engines/submit.cc resolves a submission once (rows, parts within the engine's
// Limits(), the spec and storage as the workers see them, the job name) and hands it to the
// engine, which submits each part, or prints it with --dry-run.
#pragma once

#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "sweep/spec/array_plan.h"
#include "sweep/spec/spec.h"

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
  bool replan = false;   // slurm: the spec changed: keep unchanged rows (sweep/spec/replan.h)
  std::string job_name;  // "" = "sweep-" + the first 8 hex digits of the rows hash
  // aws-batch
  std::string queue;
  std::string job_definition;
  std::string region;  // "" = AWS_REGION, AWS_DEFAULT_REGION, the profile's
  // slurm (max_parallel also sets the k8s parallelism)
  int pack = 1;          // rows per child (the worker's SWEEP_PACK; sweep/spec/array_plan.h)
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

// One submission, resolved; what every engine is handed.
struct ArraySubmission {
  const SubmitOptions& options;  // storage already absolute (or s3://)
  const Spec& spec;
  const std::vector<ArrayPart>& parts;  // within the engine's Limits()
  std::string params;                   // the spec as the workers see it
  std::string storage;                  // the results root as the workers see it
  std::string job_name;                 // of the first part; PartJobName for the others
  int count = 0;                        // rows in the spec
  // Successive halving (sweep/search/halving.h): the rung every child belongs to ("B-R",
  // SWEEP_RUNG; the parts' indices are then positions in the rung), and the jobs each part
  // waits for (Slurm --dependency=afterany, Batch dependsOn). Empty: plain rows, no wait.
  std::string rung;
  std::vector<std::string> depends_on;
  // When set, the engine appends the id of each part it submitted (a dry run: "<job name>").
  std::vector<std::string>* job_ids = nullptr;
};

class JobArrayEngine {
 public:
  virtual ~JobArrayEngine() = default;
  virtual const char* Name() const = 0;  // "aws-batch", "slurm", "k8s"
  // How large one array may be, and how many arrays a part may need.
  virtual ArrayLimits Limits() const = 0;
  // Submits every part (or prints them with --dry-run): job ids or bodies to `out`, progress to
  // stderr. Errors: Unavailable for engine or network trouble, saying how many parts went.
  virtual Status Submit(const ArraySubmission& job, std::ostream& out) const = 0;
};

// The engine for `kind`.
std::unique_ptr<JobArrayEngine> MakeEngine(Engine kind);

// "sweep-1a2b3c4d" for a rows hash; `index` >= 0 with several parts appends "-{index}".
std::string PartJobName(const std::string& base, int index, int parts);

}  // namespace sweep
