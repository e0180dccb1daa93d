// `sweep run`: a local job array. Each selected row runs as its own `sweep-worker` process
// with the AWS Batch contract (AWS_BATCH_JOB_ARRAY_INDEX / _SIZE / _ATTEMPT, 1-based attempt;
// SWEEP_THREADS), `--params SPEC --storage ROOT [--set k=v]...`, output to
// {storage}/{index}/worker.log. No in-process shortcut: locally a row runs exactly as on Batch.
//
// Order of work: load and expand the spec, apply --set, validate every row, check the storage
// is writable, write the frozen plan (refusing a changed spec unless `replan`), read the rows'
// states, select, then run N children at a time. Exit codes 75 and 143 are retried (--retries);
// others are final. SIGINT/SIGTERM: every child's process group gets SIGTERM, the runner waits
// up to `stop_timeout_s`, then SIGKILLs what is left (and removes their temp files).
#pragma once

#include <string>
#include <vector>

#include "base/status.h"

namespace sweep {

struct RunOptions {
  std::string spec_path;
  std::string storage = "sweep-results";
  int jobs = 0;      // children at a time; 0 = AvailableCpus() / threads, at least 1
  int threads = 1;   // SWEEP_THREADS of each child
  int retries = 0;   // extra attempts for exit codes 75 and 143
  std::string only;  // "3,5-7"; "" = all
  bool missing = false;
  bool failed = false;
  bool force = false;
  bool replan = false;  // the spec changed: keep unchanged rows, move the others aside (replan.h)
  std::vector<std::string> sets;  // --set k=v, applied to every row and passed to workers
  std::string worker;             // path of sweep-worker; "" = find it
  double stop_timeout_s = 10;     // after SIGTERM, before SIGKILL
  int progress = -1;              // 1 live status line, 0 plain lines, -1 = stderr is a terminal
};

struct RunReport {
  int selected = 0;
  int succeeded = 0;
  std::vector<int> failed;     // finally failed indices, ascending
  std::vector<int> bad_input;  // of `failed`, those whose worker exited 2 (bad input), ascending
  std::vector<int> diverged;   // indices whose training diverged (exit 0, no model), ascending
  int skipped = 0;
  int interrupted_by = 0;  // SIGINT/SIGTERM that stopped the run, 0 when none
};

// Runs the sweep, printing progress and a summary on stderr. Errors (before any row starts):
// InvalidArgument/NotFound for a bad spec, flags, worker path or a storage that belongs to
// another sweep; Unavailable for storage trouble.
StatusOr<RunReport> RunSweep(const RunOptions& options);

// 0 every selected row finished (succeeded, or diverged: rerunning will not change it); 1 some
// rows failed; 128+signal when interrupted (130, 143);
// errors map through ExitCodeFor (2 bad input, 75 transient).
int RunExitCode(const StatusOr<RunReport>& report);

}  // namespace sweep
