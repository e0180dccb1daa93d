// Reading a sweep's storage back: which rows finished, failed, are unfinished or missing.
//
// The storage layout is storage/layout.h. A row's state comes from its own folder only:
//   succeeded   {index}/result.json parses and says "succeeded"
//   failed      {index}/result.json parses and says "failed" (error and exit code kept)
//   diverged    {index}/result.json parses and says "diverged": finished, a non-finite loss
//               stopped training (no model; rerunning the same row diverges again)
//   corrupt     {index}/result.json exists but is half-written, foreign or for another index
//   unfinished  no result.json but a worker.log, or a Slurm task log in {storage}/.slurm
//               where the row started training: running now, or killed before publishing
//   missing     neither (with the worker's reason when a Slurm task log ends with the row's
//               error: a row that stopped on bad input publishes nothing; engine_logs.h)
// Nothing here writes; scanning never fails because of one bad file (it is reported in
// `problems` and the scan goes on).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "base/strings.h"  // FormatIndexRanges, for the callers that print rows
#include "storage/checkpoint.h"
#include "storage/result.h"
#include "storage/store.h"
#include "sweep/results/engine_logs.h"
#include "sweep/spec/plan.h"

namespace sweep {

enum class RowState { kMissing, kUnfinished, kSucceeded, kFailed, kCorrupt, kDiverged };

std::string_view RowStateName(RowState state);

struct RowRecord {
  RowState state = RowState::kMissing;
  // Set for kSucceeded, kFailed and kDiverged; `history` left empty by ScanStorage on local
  // folders unless ScanOptions::keep_history (not needed by summaries, costly).
  std::optional<storage::RunResult> result;
  std::string problem;                // why, for kCorrupt
  std::optional<LoggedError> logged;  // kMissing: the reason an engine's log gives (local
                                      // storage, Slurm's {storage}/.slurm/*.out; engine_logs.h)
  // kUnfinished: where its checkpoint stands (a row with a checkpoint and no result.json is
  // unfinished even without a log).
  std::optional<storage::CheckpointPosition> checkpoint;
};

struct Scan {
  std::string root;
  std::optional<Plan> plan;           // sweep.json, when present and readable
  int expected = 0;                   // plan count, else 1 + the largest index found
  std::vector<RowRecord> rows;        // rows[index], size == expected
  std::vector<std::string> problems;  // corrupt files, foreign entries, indices past the plan

  std::vector<int> IndicesIn(RowState state) const;
};

struct ScanOptions {
  int threads = 0;  // reader threads for local folders; 0 = min(4, CPUs)
  // Only the rows 0..expected-1 matter (set by `sweep run`, which knows the count); -1 = use
  // the plan's count, else whatever is found.
  int expected = -1;
  // Keep each result's per-epoch "history" on local folders too (`sweep report` draws it).
  bool keep_history = false;
};

// Scans a local folder or an s3:// or gs:// root (through storage::OpenStore). Errors: NotFound
// when a local root does not exist; InvalidArgument for a malformed URI; Unavailable for I/O
// trouble on the root itself.
StatusOr<Scan> ScanStorage(const std::string& root, const ScanOptions& options = {});

// The same over an open store (tests pass a storage::FaultStore): a local folder through its
// LocalPath, any other store through one List and a Get per result.json. A transient failure
// (Unavailable) of the listing, of sweep.json or of a listed result.json or checkpoint fails the
// scan (exit 75), and so does a local result.json's (EIO, EMFILE, ...): a row must never read as
// missing or corrupt, or the plan as absent, because storage did not answer. Other unreadable
// files (a folder in its place, no permission) are problems, and the scan goes on.
StatusOr<Scan> ScanStore(storage::Store& store, const ScanOptions& options = {});

// Classifies one row from the text of its result.json (nullopt = absent) and whether a
// worker.log exists. Exposed for tests.
RowRecord ClassifyRow(int index, const std::optional<std::string>& result_text, bool has_log);

// RerunCommand for the scan's plan ("SPEC" stands in for an unknown spec).
std::string RerunCommand(const Scan& scan, const std::string& extra);

}  // namespace sweep
