#include "sweep/run/runner.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <optional>

#include "base/cpu.h"
#include "base/exit_code.h"
#include "base/file.h"
#include "base/log.h"
#include "storage/layout.h"
#include "storage/store.h"
#include "sweep/results/scan.h"
#include "sweep/results/selection.h"
#include "sweep/run/bayes_run.h"
#include "sweep/run/halving_run.h"
#include "sweep/run/scheduler.h"
#include "sweep/run/worker_path.h"
#include "sweep/spec/plan.h"
#include "sweep/spec/replan.h"
#include "sweep/spec/row_config.h"
#include "sweep/spec/spec.h"

namespace sweep {
namespace {

namespace fs = std::filesystem;

Status CheckOptions(const RunOptions& o) {
  if (o.spec_path.empty()) return Status::InvalidArgument("a spec file is required");
  if (o.storage.empty()) return Status::InvalidArgument("--storage must not be empty");
  if (o.jobs < 0) return Status::InvalidArgument("-j must be at least 1");
  if (o.threads < 1) return Status::InvalidArgument("--threads must be at least 1");
  if (o.retries < 0) return Status::InvalidArgument("--retries must be 0 or more");
  return Status::Ok();
}

// Every row must become a valid TrainConfig before anything starts: a typo found after an
// hour of training wastes the hour.
StatusOr<Spec> LoadRunSpec(const RunOptions& o, std::string* text) {
  SWEEP_ASSIGN_OR_RETURN(Spec spec, LoadSpec(o.spec_path, o.sets));
  LogSpecWarnings(spec);
  SWEEP_ASSIGN_OR_RETURN(std::string local, storage::FetchInput(o.spec_path));  // cached
  SWEEP_RETURN_IF_ERROR(ReadFile(local, text).WithContext(o.spec_path));
  std::vector<std::string> bad = ValidateRows(spec.rows);
  // Every input must be readable too: a missing data file would fail every row, one by one.
  const std::vector<std::string> inputs =
      bad.empty() ? CheckInputs(spec) : std::vector<std::string>();
  if (bad.empty() && inputs.empty()) return spec;
  const std::vector<std::string>& list = bad.empty() ? inputs : bad;
  std::string errors;
  for (size_t i = 0; i < list.size() && i < 10; ++i) errors += "\n  " + list[i];
  if (list.size() > 10) errors += "\n  ... and " + std::to_string(list.size() - 10) + " more";
  return Status::InvalidArgument(
      o.spec_path + ": " + std::to_string(list.size()) +
      (bad.empty() ? " input(s) cannot be read" : " problem(s) in the rows") +
      ", nothing started:" + errors);
}

// A path the children can use whatever their working folder: absolute for local paths.
std::string ForChild(const std::string& path) {
  if (storage::IsRemoteUri(path)) return path;
  std::error_code ec;
  fs::path abs = fs::absolute(path, ec);
  return ec ? path : abs.lexically_normal().string();
}

// Two `sweep run` on one local root would train the same rows side by side: the second stops
// at once. s3:// and gs:// roots are not locked (no lock there; README "Running a sweep locally").
StatusOr<std::optional<FileLock>> LockStorage(const std::string& root) {
  if (storage::IsRemoteUri(root)) return std::optional<FileLock>();
  StatusOr<FileLock> lock = FileLock::TryLock(storage::LockPath(root));
  if (lock.ok()) return std::optional<FileLock>(std::move(*lock));
  if (lock.status().code() != StatusCode::kUnavailable) return lock.status();
  return Status::InvalidArgument(root + " is in use by another `sweep run` (" +
                                 lock.status().message() +
                                 "): wait for it to finish, or use another --storage");
}

}  // namespace

StatusOr<RunReport> RunSweep(const RunOptions& o) {
  SWEEP_RETURN_IF_ERROR(CheckOptions(o));
  std::string spec_text;
  SWEEP_ASSIGN_OR_RETURN(Spec spec, LoadRunSpec(o, &spec_text));
  const int count = static_cast<int>(spec.rows.size());
  SelectFlags flags{{}, o.missing, o.failed, o.force};
  if (!o.only.empty()) {
    SWEEP_ASSIGN_OR_RETURN(flags.only, ParseIndexList(o.only, count));
  }
  std::optional<search::HalvingPlan> halving;
  if (spec.early_terminate || spec.bayes) {
    if (!o.only.empty() || o.missing || o.failed || o.force) {
      return Status::InvalidArgument(
          "--only, --missing, --failed and --force do not apply to early_terminate or method: "
          "bayes: the rungs and waves decide which rows run (rerun the same command to resume)");
    }
  }
  if (spec.early_terminate) {
    SWEEP_ASSIGN_OR_RETURN(halving, search::MakeHalvingPlan(spec));
  }
  SWEEP_ASSIGN_OR_RETURN(std::string worker, FindWorker(o.worker, WorkerHost::kHere));
  SWEEP_ASSIGN_OR_RETURN(std::unique_ptr<storage::Store> store, storage::OpenStore(o.storage));
  SWEEP_RETURN_IF_ERROR(store->CheckWritable().WithContext(o.storage));
  SWEEP_ASSIGN_OR_RETURN(std::optional<FileLock> lock, LockStorage(o.storage));
  Plan plan = MakePlan(spec, spec_text, o.sets);
  plan.source = o.spec_path;
  SWEEP_ASSIGN_OR_RETURN(ReplanReport replan, ReplanStorage(*store, plan, o.replan));
  if (replan.replanned) {
    std::fprintf(stderr, "sweep: replanned %s: %s", o.storage.c_str(),
                 DescribeDiff(replan.diff).c_str());
    if (replan.files_moved > 0) {
      std::fprintf(stderr, "; %d file%s moved to %s", replan.files_moved,
                   replan.files_moved == 1 ? "" : "s", replan.history_dir.c_str());
    }
    std::fprintf(stderr, "\n");
  }

  ScanOptions scan_options;
  scan_options.expected = count;
  SWEEP_ASSIGN_OR_RETURN(Scan scan, ScanStorage(o.storage, scan_options));
  std::vector<RowState> states;
  states.reserve(count);
  for (const auto& row : scan.rows) states.push_back(row.state);
  Selection sel = SelectRows(states, flags);

  ScheduleConfig config;
  config.worker = worker;
  config.spec_arg = ForChild(o.spec_path);
  config.storage_arg = ForChild(o.storage);
  config.sets = o.sets;
  config.count = count;
  config.threads = o.threads;
  config.jobs = o.jobs > 0 ? o.jobs : std::max(1, AvailableCpus() / o.threads);
  config.retries = o.retries;
  config.stop_timeout_s = o.stop_timeout_s;
  config.live = o.progress >= 0 ? o.progress == 1 : log::IsTerminal(2);
  if (spec.metric) {
    config.metric = spec.metric->name;
    config.maximize = spec.metric->maximize;
  }
  config.skipped = static_cast<int>(sel.skipped.size());
  config.rerun_failed = RerunCommand(plan, o.storage, "--failed");
  config.rerun_replan = RerunCommand(plan, o.storage, "--replan");

  if (halving) return RunHalving(config, *halving, *store);
  if (spec.bayes) return RunBayes(config, spec, *store);
  std::fprintf(stderr, "sweep: %d row%s in %s; running %zu (%d at a time, %d thread%s each)", count,
               count == 1 ? "" : "s", o.storage.c_str(), sel.run.size(),
               std::min<int>(config.jobs, std::max<size_t>(1, sel.run.size())), o.threads,
               o.threads == 1 ? "" : "s");
  const int finished = sel.succeeded_skipped + sel.diverged_skipped;
  if (finished > 0) {
    std::string what = sel.succeeded_skipped > 0
                           ? std::to_string(sel.succeeded_skipped) + " already succeeded"
                           : "";
    if (sel.diverged_skipped > 0) {
      what += (what.empty() ? "" : " and ") + std::to_string(sel.diverged_skipped) + " diverged";
    }
    std::fprintf(stderr, ", skipping %s (--force reruns them)", what.c_str());
  }
  if (sel.skipped.size() > static_cast<size_t>(finished)) {
    std::fprintf(stderr, ", %zu not selected", sel.skipped.size() - finished);
  }
  std::fprintf(stderr, "\n");
  return RunRows(config, sel.run, *store);
}

int RunExitCode(const StatusOr<RunReport>& report) {
  if (!report.ok()) return ToInt(ExitCodeFor(report.status()));
  if (report->interrupted_by != 0) return 128 + report->interrupted_by;
  return report->failed.empty() ? 0 : 1;
}

}  // namespace sweep
