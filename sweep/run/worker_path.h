// Where the sweep-worker program is, for `sweep run` (children on this machine) and `sweep
// submit --engine slurm` (tasks on the cluster's nodes). One lookup, in this order:
//   --worker PATH, $SWEEP_WORKER, sweep-worker next to this program (an install's bin/), the
//   build tree's worker/sweep-worker beside this program's folder, then PATH.
#pragma once

#include <string>

#include "base/status.h"

namespace sweep {

enum class WorkerHost {
  kHere,     // runs here: every candidate must be an executable file here; PATH is searched
  kOnNodes,  // runs on other machines: --worker and $SWEEP_WORKER are node paths taken as
             // given; without a sibling here, "sweep-worker" is left to the node's PATH
};

// Errors (kHere only): NotFound naming the bad flag or variable, or where it looked.
StatusOr<std::string> FindWorker(const std::string& flag, WorkerHost host);

}  // namespace sweep
