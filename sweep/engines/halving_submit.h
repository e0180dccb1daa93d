// `sweep submit` of a spec with early_terminate: every rung of every bracket at once, each
// rung's arrays depending on the arrays of the rung before (Slurm --dependency=afterany, AWS
// Batch dependsOn), since rung sizes are known in advance (sweep/search/halving.h). The first
// child of a rung to start computes its promotion from the band records (worker/rung.h); no
// process watches the sweep. Kubernetes has no dependencies between Jobs: refused (use
// `sweep run` on one machine, or Slurm / Batch).
#pragma once

#include <iosfwd>
#include <string>

#include "base/status.h"
#include "sweep/engines/engine.h"
#include "sweep/spec/spec.h"

namespace sweep {

// `options` resolved (storage as the workers see it); `params` the spec as they see it.
// With --wait (Slurm) waits for the last rung, then prints the promotions and how the final
// rows ended. Errors: InvalidArgument (k8s, --missing/--failed, a plan that cannot be made),
// what the engine returns.
Status SubmitHalving(const SubmitOptions& options, const Spec& spec, const std::string& params,
                     const std::string& job_name, std::ostream& out);

// `method: bayes`: one array per TPE wave (its rows by SWEEP_INDEX_OFFSET or _MAP), each
// depending on the wave before; the first worker of a wave computes its proposal
// (sweep/search/tpe_waves.h). --wait (Slurm) waits for the last wave.
Status SubmitWaves(const SubmitOptions& options, const Spec& spec, const std::string& params,
                   const std::string& job_name, std::ostream& out);

}  // namespace sweep
