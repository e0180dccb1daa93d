#include "worker/rung.h"

#include <fmt/format.h>

#include <cstdio>

#include "storage/layout.h"
#include "sweep/search/halving.h"
#include "sweep/search/rung_decision.h"
#include "worker/publish.h"

namespace sweep::worker {

std::string RungTask::Describe() const {
  return fmt::format("rung {} of bracket {} (to epoch {})", rung, bracket, epochs);
}

namespace {

// The rung `rung` ("B-R") of the spec's halving plan, its bracket and rung numbers in *task.
StatusOr<search::HalvingRung> FindRung(const std::string& rung, const Spec& spec,
                                       search::HalvingPlan* plan, RungTask* task) {
  char tail = 0;
  if (std::sscanf(rung.c_str(), "%d-%d%c", &task->bracket, &task->rung, &tail) != 2 ||
      task->bracket < 0 || task->rung < 0) {
    return Status::InvalidArgument("SWEEP_RUNG: expected BRACKET-RUNG (0-1), got '" + rung + "'");
  }
  if (!spec.early_terminate) {
    return Status::InvalidArgument("SWEEP_RUNG is set but " + spec.source +
                                   " has no early_terminate");
  }
  SWEEP_ASSIGN_OR_RETURN(*plan, search::MakeHalvingPlan(spec));
  if (task->bracket >= static_cast<int>(plan->brackets.size()) ||
      task->rung >= static_cast<int>(plan->brackets[task->bracket].rungs.size())) {
    return Status::InvalidArgument("SWEEP_RUNG: no rung " + rung + " in " + spec.source);
  }
  return plan->brackets[task->bracket].rungs[task->rung];
}

}  // namespace

StatusOr<int> RungSize(const std::string& rung, const Spec& spec) {
  search::HalvingPlan plan;
  RungTask task;
  SWEEP_ASSIGN_OR_RETURN(search::HalvingRung r, FindRung(rung, spec, &plan, &task));
  return r.size;
}

StatusOr<ResolvedRung> ResolveRung(const std::string& rung, const Spec& spec,
                                   storage::Store& store) {
  ResolvedRung resolved;
  search::HalvingPlan plan;
  SWEEP_ASSIGN_OR_RETURN(search::HalvingRung r, FindRung(rung, spec, &plan, &resolved.task));
  resolved.task.epochs = r.epochs;
  resolved.task.last = r.last;
  SWEEP_ASSIGN_OR_RETURN(resolved.rows,
                         search::RungRows(store, plan, resolved.task.bracket, resolved.task.rung));
  return resolved;
}

StatusOr<RungTask> RungTaskAt(const ResolvedRung& rung, int position) {
  if (position < 0 || position >= static_cast<int>(rung.rows.size())) {
    return Status::InvalidArgument(fmt::format("index {} is past the end of {}: {} rows", position,
                                               rung.task.Describe(), rung.rows.size()));
  }
  RungTask task = rung.task;
  task.row = rung.rows[position];
  return task;
}

StatusOr<bool> RungDone(const RungTask& task, storage::Store& store) {
  SWEEP_ASSIGN_OR_RETURN(auto result, ReadFinished(store, storage::ResultPath("", task.row)));
  if (task.last) return result.has_value();
  SWEEP_ASSIGN_OR_RETURN(auto band,
                         ReadFinished(store, storage::BandPath("", task.row, task.epochs)));
  if (band) return true;
  if (!result || result->status != storage::ResultStatus::kDiverged) return false;
  SWEEP_RETURN_IF_ERROR(PublishBand(task, store, *result));
  return true;
}

Status PublishBand(const RungTask& task, storage::Store& store, storage::RunResult record) {
  record.model.clear();  // the band record names no model: the weights are in the checkpoint
  RemoveStaleRowTemps(store, task.row);
  return store.Put(storage::BandPath("", task.row, task.epochs), storage::ToJsonText(record));
}

}  // namespace sweep::worker
