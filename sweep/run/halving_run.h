// `sweep run` of a spec with early_terminate: successive halving / Hyperband rung by rung
// (sweep/search/halving.h). Wave w runs rung w of every bracket that has one: before it starts,
// the runner computes (or reads) each rung's promotion file exactly as a child on an engine
// would (sweep/search/rung_decision.h), then runs the rung's rows as SWEEP_RUNG children
// (worker/rung.h) that go on from their checkpoints. Rows whose record of the rung is already in
// storage are skipped; a rung whose next promotion is already decided is closed and not rerun.
// An interrupt stops before the next decision, so rerunning resumes where it stopped and makes
// the same decisions.
#pragma once

#include "base/status.h"
#include "storage/store.h"
#include "sweep/run/runner.h"
#include "sweep/run/scheduler.h"
#include "sweep/search/halving.h"

namespace sweep {

// `base` holds everything but `rungs` and `skipped`. Errors: storage trouble or a decision that
// disagrees with another writer's (before or between waves).
StatusOr<RunReport> RunHalving(const ScheduleConfig& base, const search::HalvingPlan& plan,
                               storage::Store& store);

}  // namespace sweep
