// The process exit codes shared by the worker, `sweep` and the jobs/ retry rules.
//
//   0   ok
//   1   bug (internal error): investigate, do not retry blindly
//   2   bad input (spec, data, arguments): never retry
//   75  transient (EX_TEMPFAIL: network, throttling, storage busy): retry
//   143 terminated by SIGTERM (Spot loss, docker stop): retry
// jobs/aws-batch/*.json and jobs/k8s/indexed-job.yaml encode the same rules.
#pragma once

#include "base/status.h"

namespace sweep {

enum class ExitCode : int { kOk = 0, kBug = 1, kBadInput = 2, kTransient = 75, kTerminated = 143 };

ExitCode ExitCodeFor(const Status& status);

inline int ToInt(ExitCode code) { return static_cast<int>(code); }

}  // namespace sweep
