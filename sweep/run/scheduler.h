// The loop of `sweep run` that keeps N workers busy: start, reap, retry, report, stop on a
// signal. Used by runner.cc once the plan is written and the rows are selected.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "storage/store.h"
#include "sweep/run/runner.h"

namespace sweep {

// A row run as a child of a successive-halving rung (worker/rung.h): SWEEP_RUNG and the row's
// position in the rung go to the worker, and the row's record there is `record_key` (its band
// record, or result.json in the last rung).
struct RungChild {
  std::string rung;  // "B-R"
  int position = 0;
  std::string record_key;
};

struct ScheduleConfig {
  std::string worker;       // executable
  std::string spec_arg;     // --params value
  std::string storage_arg;  // --storage value
  std::vector<std::string> sets;
  int count = 0;  // AWS_BATCH_JOB_ARRAY_SIZE
  int jobs = 1;
  int threads = 1;
  int retries = 0;
  double stop_timeout_s = 10;
  bool live = false;   // redrawn status line
  std::string metric;  // "" = val_accuracy, else the first accuracy a result has
  bool maximize = true;
  int skipped = 0;           // for the display
  std::string rerun_failed;  // command printed when rows failed transiently (not exit 2)
  std::string rerun_replan;  // command printed, after "fix the spec", when rows failed with exit 2
  std::map<int, RungChild> rungs;  // row -> its rung; rows not in it run as plain rows
};

// Runs `rows` (ascending indices) and returns what happened. Installs SIGINT/SIGTERM handlers
// for its duration. Writes a failed result.json for a row whose worker exited non-zero
// without publishing one (crash, or retries exhausted), so `collect` and `--failed` see it;
// never for a row stopped by the runner itself. A worker that exits 0 having published a
// "diverged" result.json is a finished row (RunReport::diverged), neither succeeded nor failed.
RunReport RunRows(const ScheduleConfig& config, const std::vector<int>& rows,
                  storage::Store& store);

// Exit codes worth another attempt: 75 (transient) and 143 (SIGTERM), as on AWS Batch.
bool IsRetryable(int exit_code);

}  // namespace sweep
