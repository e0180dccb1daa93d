// The frozen plan {storage}/sweep.json, written by `sweep run` (or `sweep submit --engine
// slurm`) before any row starts.
//
// It pins what the storage folder holds: a second `sweep run` with a different spec (other
// rows, other --set overrides) into the same storage is refused unless it asks to replan
// (sweep/spec/replan.h), so results of two specs are never mixed under one index space.
// Format version 1:
// {
//   "format_version": 1,
//   "source": "spec.yml",            (the spec file as given)
//   "spec": "...spec text...",
//   "overrides": ["epochs=1"],       (--set, applied to every row)
//   "rows_hash": "9f2c...",          (RowsHash of the expanded rows)
//   "row_hashes": ["1a2b...", ...],  (RowHash of each row; added later: recomputed from "rows"
//                                     when read, so older plans without it still work)
//   "count": 6,
//   "metric": {"name": "val_loss", "goal": "minimize"},   (absent when the spec has none)
//   "engine": "slurm",               (absent for `sweep run`; set by `sweep submit --engine slurm`)
//   "rows": [{...}, ...]
// }
// The file is written atomically; it is rewritten only by a replan.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "storage/store.h"
#include "sweep/spec/spec.h"

namespace sweep {

inline constexpr int kPlanFormatVersion = 1;

struct Plan {
  std::string source;
  std::string spec_text;
  std::vector<std::string> overrides;
  std::string rows_hash;
  std::vector<std::string> row_hashes;  // RowHash(rows[i])
  std::vector<nlohmann::json> rows;
  std::optional<MetricGoal> metric;
  std::string engine;  // "slurm" when `sweep submit` wrote the plan; "" for `sweep run`
  int count() const { return static_cast<int>(rows.size()); }
};

// A plan for `spec` (rows already expanded and overridden); computes the rows hash.
Plan MakePlan(const Spec& spec, std::string spec_text, std::vector<std::string> overrides);

nlohmann::json PlanToJson(const Plan& plan);
std::string PlanToText(const Plan& plan);  // pretty JSON, trailing newline
// Never throws. Errors: Corruption naming what is wrong.
StatusOr<Plan> ParsePlan(std::string_view text);

// The plan stored under `store`, or nullopt when there is none.
// Errors: Corruption for an unreadable sweep.json, Unavailable for I/O trouble.
StatusOr<std::optional<Plan>> ReadPlan(storage::Store& store);

// Writes `plan` as sweep.json when there is none. When one exists with the same rows hash it is
// kept as is (a rerun resumes). When it holds other rows: InvalidArgument naming the rows that
// changed and the way forward (`--replan`, another --storage). ReplanStorage (replan.h) is the
// same with permission to change the plan.
Status WritePlanOnce(storage::Store& store, const Plan& plan);

// The command line that resumes this plan in `root`, shell-quoted: "sweep run spec.yml --storage
// S --set epochs=1" plus `extra` (e.g. "--failed") when not empty; for a plan `sweep submit
// --engine slurm` wrote, "sweep submit spec.yml --engine slurm --storage S" plus `extra`, or
// "--missing --failed" when `extra` is empty (every row that has not succeeded).
std::string RerunCommand(const Plan& plan, const std::string& root, const std::string& extra);

// `text` quoted for a POSIX shell when it needs it.
std::string ShellQuote(const std::string& text);

}  // namespace sweep
