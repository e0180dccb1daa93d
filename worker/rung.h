// The worker's part in successive halving (sweep/search/halving.h). SWEEP_RUNG="B-R" makes the
// worker a child of rung R of bracket B: its engine index is a position in the rung, the row is
// the rung's rows[index] (rung 0: the bracket's rows; later rungs: the promotion file, which the
// first child to need it computes and creates, sweep/search/rung_decision.h). A rung before the
// last trains its row to the rung's band and stops there: the row's record at the band goes to
// {index}/bands/{epochs}.json (result.json's format, no model) and its state stays in the
// checkpoint, from which the next rung goes on. The last rung trains to the full epochs and
// publishes model.h5 and result.json as a plain row does. A child whose record is already there
// exits 0 at once, so rerunning a rung (a crash, a resubmitted array) redoes nothing.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "storage/result.h"
#include "storage/store.h"
#include "sweep/spec/spec.h"

namespace sweep::worker {

struct RungTask {
  int bracket = 0;
  int rung = 0;
  int row = 0;
  int epochs = 0;                // the band this rung trains to
  bool last = false;             // trains to the row's full epochs and publishes result.json
  std::string Describe() const;  // "rung 1 of bracket 0 (to epoch 3)"
};

// A rung's rows in position order, with the task its children share (`task.row` unset):
// resolved once per process (Session::Rung), however many of its positions a pack takes.
struct ResolvedRung {
  RungTask task;
  std::vector<int> rows;
};

// Parses `rung` ("B-R"), plans the spec's halving and reads (or decides) the rung's rows.
// Errors: InvalidArgument (malformed, the spec has no early_terminate, no such rung); what
// RungRows returns.
StatusOr<ResolvedRung> ResolveRung(const std::string& rung, const Spec& spec,
                                   storage::Store& store);

// The task of the rung's child at `position`. Errors: InvalidArgument past the rung's end.
StatusOr<RungTask> RungTaskAt(const ResolvedRung& rung, int position);

// The number of positions in rung `rung` ("B-R") of the spec's plan. Errors: as ResolveRung.
StatusOr<int> RungSize(const std::string& rung, const Spec& spec);

// Whether the task's record is already in storage (band record, or for the last rung a
// succeeded or diverged result.json). A row that diverged in an earlier rung (result.json
// diverged, no band record) gets its band record copied from result.json here: it is done.
StatusOr<bool> RungDone(const RungTask& task, storage::Store& store);

// Publishes `record` (status succeeded or diverged) as the task's band record.
Status PublishBand(const RungTask& task, storage::Store& store, storage::RunResult record);

}  // namespace sweep::worker
