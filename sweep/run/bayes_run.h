// `sweep run` of a `method: bayes` spec: TPE waves one after the other (sweep/search/
// tpe_waves.h). Before wave w starts the runner reads or creates its proposal file, exactly as a
// worker of the wave would; rows with a finished result.json are skipped, so rerunning after a
// crash or Ctrl-C goes on with the same proposals.
#pragma once

#include "base/status.h"
#include "storage/store.h"
#include "sweep/run/runner.h"
#include "sweep/run/scheduler.h"
#include "sweep/spec/spec.h"

namespace sweep {

StatusOr<RunReport> RunBayes(const ScheduleConfig& base, const Spec& spec, storage::Store& store);

}  // namespace sweep
