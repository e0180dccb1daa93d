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
// A spec with early_terminate submits every rung at once, each depending on the one before
// (sweep/engines/halving_submit.h); k8s refuses it.
// --missing / --failed submit only the rows without a result / with a failed result
// (read from the storage root, sweep/results/scan.h).
#pragma once

#include <iosfwd>
#include <string>

#include "base/status.h"
#include "sweep/engines/engine.h"

namespace sweep {

// Runs the submission; results go to `out` (job ids, or the --dry-run bodies/manifests),
// progress and advice to stderr. Errors: InvalidArgument for bad options or spec, NotFound,
// Unavailable for engine or network trouble (after some parts may have been submitted: the
// message says which).
Status Submit(const SubmitOptions& options, std::ostream& out);

}  // namespace sweep
