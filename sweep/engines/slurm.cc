#include "sweep/engines/slurm.h"

#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <ostream>
#include <set>
#include <thread>

#include "base/file.h"
#include "base/log.h"
#include "base/strings.h"
#include "storage/layout.h"
#include "storage/store.h"
#include "sweep/engines/job_templates.h"
#include "sweep/results/leaderboard.h"
#include "sweep/results/scan.h"
#include "sweep/run/child_process.h"
#include "sweep/run/worker_path.h"
#include "sweep/spec/plan.h"
#include "sweep/spec/replan.h"

extern char** environ;

namespace sweep {
namespace {

std::vector<std::string> CallerEnv() {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) env.emplace_back(*e);
  return env;
}

std::string LogDir(const ArraySubmission& run) {
  if (!storage::IsRemoteUri(run.storage)) return storage::SlurmLogDir(run.storage);
  char* cwd = ::getcwd(nullptr, 0);
  std::string dir = storage::SlurmLogDirForRemote(cwd != nullptr ? cwd : ".");
  std::free(cwd);
  return dir;
}

// The script to submit: --sbatch-script, or the built-in one written next to the logs.
StatusOr<std::string> ScriptPath(const ArraySubmission& run, const std::string& log_dir) {
  if (!run.options.sbatch_script.empty()) return run.options.sbatch_script;
  std::string path = storage::SlurmScriptPath(log_dir);
  SWEEP_RETURN_IF_ERROR(WriteFileAtomic(path, kSlurmBatchScript));
  return path;
}

std::string PartName(const ArraySubmission& run, int index) {
  return PartJobName(run.job_name, index, static_cast<int>(run.parts.size()));
}

std::vector<std::string> SbatchArgv(const ArraySubmission& run, const ArrayPart& part, int index,
                                    const std::string& log_dir, const std::string& script) {
  std::string name = PartName(run, index);
  std::vector<std::string> argv = {"sbatch", "--parsable",
                                   "--array=" + SlurmArraySpec(part, run.options.max_parallel),
                                   "--job-name=" + name, "--output=" + log_dir + "/%x-%A_%a.out"};
  if (!run.depends_on.empty()) {
    std::string dependency = "--dependency=afterany";
    for (const auto& id : run.depends_on) dependency += ":" + id;
    argv.push_back(dependency);
  }
  for (const auto& a : run.options.sbatch_args) argv.push_back(a);
  argv.push_back(script);
  return argv;
}

// Polls squeue until none of `ids` is pending or running. Errors: Unavailable on timeout.
}  // namespace

Status WaitForSlurmJobs(const std::vector<std::string>& ids, int timeout_s) {
  std::string list;
  for (const auto& id : ids) list += (list.empty() ? "" : ",") + id;
  const auto start = std::chrono::steady_clock::now();
  log::Info("waiting for Slurm job(s) " + list +
            (timeout_s > 0 ? " (at most " + std::to_string(timeout_s) + " s)" : ""));
  while (true) {
    ProcessResult q = RunCapture({"squeue", "--noheader", "--format=%i %T", "--jobs=" + list},
                                 CallerEnv(), /*capture_stderr=*/true);
    // squeue lists only jobs not yet finished; an id purged from the controller is an error
    // ("Invalid job id specified"), which also means finished.
    bool gone = (q.exit_code == 0 && Trim(q.output).empty()) ||
                q.output.find("Invalid job id") != std::string::npos;
    if (gone) return Status::Ok();
    if (q.exit_code < 0) return Status::Unavailable("squeue: " + q.output);
    double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (timeout_s > 0 && waited > timeout_s) {
      return Status::Unavailable("Slurm job(s) " + list + " still queued or running after " +
                                 std::to_string(timeout_s) + " s (not cancelled)");
    }
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
}

namespace {

// The highest task exit code of the finished arrays, from `scontrol -o show job` (one line per
// task, "ExitCode=2:0"); the controller keeps finished jobs for MinJobAge (300 s by default),
// long enough after the squeue poll. -1 when unknown.
int HighestExitCode(const std::vector<std::string>& ids) {
  int highest = -1;
  for (const auto& id : ids) {
    ProcessResult r = RunCapture({"scontrol", "-o", "show", "job", id}, CallerEnv(), true);
    if (r.exit_code != 0) continue;
    for (size_t pos = r.output.find(" ExitCode="); pos != std::string::npos;
         pos = r.output.find(" ExitCode=", pos + 1)) {
      highest = std::max(highest, std::atoi(r.output.c_str() + pos + std::strlen(" ExitCode=")));
    }
  }
  return highest;
}

// After --wait: how the submitted rows ended, from their result.json files (and the tasks'
// exit codes: a worker refusing its input may exit 2 before it can publish a result).
Status ReportRows(const ArraySubmission& run, int count, int highest_exit, std::ostream& out) {
  ScanOptions options;
  options.expected = count;
  SWEEP_ASSIGN_OR_RETURN(Scan scan, ScanStorage(run.storage, options));
  int succeeded = 0, failed = 0, diverged = 0, other = 0;
  bool bad_input = highest_exit == 2;
  std::vector<int> not_ok;
  for (const ArrayPart& part : run.parts) {
    for (int row : part.rows) {
      const RowRecord& r = scan.rows[row];
      if (r.state == RowState::kSucceeded) {
        ++succeeded;
        continue;
      }
      if (r.state == RowState::kDiverged) {  // finished: rerunning diverges again
        ++diverged;
        continue;
      }
      not_ok.push_back(row);
      if (r.state == RowState::kFailed) {
        ++failed;
        bad_input = bad_input || (r.result && r.result->exit_code == 2);
      } else {
        ++other;
      }
    }
  }
  out << "done: " << succeeded << " succeeded, " << failed << " failed, ";
  if (diverged > 0) out << diverged << " diverged, ";
  out << other << " without a result";
  if (highest_exit > 0) out << " (highest task exit code " << highest_exit << ")";
  out << "\n" << RenderLoggedErrors(scan);  // why rows that stopped on bad input did
  if (not_ok.empty()) return Status::Ok();
  std::sort(not_ok.begin(), not_ok.end());
  std::string msg = std::to_string(not_ok.size()) + " row(s) did not succeed (" +
                    FormatIndexRanges(not_ok) + "): see sweep status " + run.storage +
                    " and the logs in " + LogDir(run);
  return bad_input ? Status::InvalidArgument(msg) : Status::Unavailable(msg);
}

}  // namespace

std::string SlurmArraySpec(const ArrayPart& part, int max_parallel) {
  std::string spec = "0-" + std::to_string(part.size - 1);
  if (max_parallel > 0) spec += "%" + std::to_string(max_parallel);
  return spec;
}

int QuerySlurmMaxArraySize() {
  ProcessResult r =
      RunCapture({"scontrol", "show", "config"}, CallerEnv(), /*capture_stderr=*/true);
  if (r.exit_code != 0) {
    log::Warn("cannot read Slurm's configuration (scontrol show config); assuming MaxArraySize=" +
              std::to_string(kSlurmDefaultMaxArraySize));
    return kSlurmDefaultMaxArraySize;
  }
  return ParseMaxArraySize(r.output, kSlurmDefaultMaxArraySize);
}

int ParseMaxArraySize(const std::string& text, int fallback) {
  size_t pos = text.find("MaxArraySize");
  if (pos == std::string::npos) return fallback;
  size_t eq = text.find('=', pos);
  size_t eol = text.find('\n', pos);
  if (eq == std::string::npos || eq > eol) return fallback;
  std::string value = Trim(text.substr(eq + 1, eol == std::string::npos ? eol : eol - eq - 1));
  std::optional<int64_t> v = ParseInt(value, 1, 4000001);
  return v ? static_cast<int>(*v) : fallback;
}

std::vector<std::string> SlurmTaskEnv(const std::vector<std::string>& caller_env,
                                      const ArraySubmission& run, const ArrayPart& part,
                                      const std::string& worker) {
  // AWS_BATCH_JOB_ARRAY_INDEX too: the worker reads it before SLURM_ARRAY_TASK_ID.
  std::set<std::string> ours = {
      "SWEEP_PARAMS",       "SWEEP_STORAGE",    "SWEEP_WORKER_BIN",          "SWEEP_INDEX",
      "SWEEP_INDEX_OFFSET", "SWEEP_INDEX_MAP",  "AWS_BATCH_JOB_ARRAY_INDEX", "SWEEP_RUNG",
      "SWEEP_PACK",         "SWEEP_INDEX_COUNT"};
  std::vector<std::string> env;
  for (const auto& e : caller_env) {
    if (ours.count(e.substr(0, e.find('='))) == 0) env.push_back(e);
  }
  env.push_back("SWEEP_PARAMS=" + run.params);
  env.push_back("SWEEP_STORAGE=" + run.storage);
  env.push_back("SWEEP_WORKER_BIN=" + worker);
  for (const auto& [k, v] : part.Env()) env.push_back(k + "=" + v);
  if (!run.rung.empty()) env.push_back("SWEEP_RUNG=" + run.rung);
  return env;
}

Status PinSlurmPlan(const std::string& storage_root, const std::string& params, const Spec& spec,
                    bool replan) {
  SWEEP_ASSIGN_OR_RETURN(auto store, storage::OpenStore(storage_root));
  SWEEP_RETURN_IF_ERROR(store->CheckWritable());
  std::string spec_text;  // the plan's hash covers the file as the tasks will read it
  if (!storage::IsRemoteUri(params)) SWEEP_RETURN_IF_ERROR(ReadFile(params, &spec_text));
  Plan plan = MakePlan(spec, spec_text, {});
  plan.engine = "slurm";
  SWEEP_ASSIGN_OR_RETURN(ReplanReport report, ReplanStorage(*store, plan, replan));
  if (report.replanned) {
    log::Info("replanned " + storage_root + ": " + DescribeDiff(report.diff) +
              (report.files_moved > 0 ? "; " + std::to_string(report.files_moved) +
                                            " file(s) moved to " + report.history_dir
                                      : ""));
  }
  return Status::Ok();
}

namespace {

class SlurmEngine : public JobArrayEngine {
 public:
  const char* Name() const override { return "slurm"; }
  ArrayLimits Limits() const override { return SlurmLimits(QuerySlurmMaxArraySize()); }
  Status Submit(const ArraySubmission& run, std::ostream& out) const override;
};

}  // namespace

Status SlurmEngine::Submit(const ArraySubmission& run, std::ostream& out) const {
  const int count = run.count;
  const std::string log_dir = LogDir(run);
  SWEEP_ASSIGN_OR_RETURN(const std::string worker,
                         FindWorker(run.options.worker, WorkerHost::kOnNodes));
  if (run.options.dry_run) {
    std::string script = run.options.sbatch_script.empty() ? storage::SlurmScriptPath(log_dir)
                                                           : run.options.sbatch_script;
    for (size_t i = 0; i < run.parts.size(); ++i) {
      std::string line;
      for (const auto& kv : SlurmTaskEnv({}, run, run.parts[i], worker))
        line += ShellQuote(kv) + " ";
      for (const auto& a : SbatchArgv(run, run.parts[i], static_cast<int>(i), log_dir, script)) {
        line += ShellQuote(a) + " ";
      }
      line.pop_back();
      out << line << "\n";
      if (run.job_ids != nullptr)
        run.job_ids->push_back("<" + PartName(run, static_cast<int>(i)) + ">");
    }
    log::Info("dry run: " + std::to_string(run.parts.size()) + " sbatch command(s) printed");
    return Status::Ok();
  }
  SWEEP_RETURN_IF_ERROR(CreateDirectories(log_dir));
  SWEEP_ASSIGN_OR_RETURN(std::string script, ScriptPath(run, log_dir));
  const std::vector<std::string> caller = CallerEnv();
  std::vector<std::string> ids;
  for (size_t i = 0; i < run.parts.size(); ++i) {
    const ArrayPart& part = run.parts[i];
    auto argv = SbatchArgv(run, part, static_cast<int>(i), log_dir, script);
    ProcessResult r = RunCapture(argv, SlurmTaskEnv(caller, run, part, worker), false);
    std::string id = Trim(r.output).substr(0, Trim(r.output).find(';'));
    if (r.exit_code != 0 || id.empty() || id.find_first_not_of("0123456789") != std::string::npos) {
      std::string done = ids.empty()
                             ? "nothing was submitted"
                             : std::to_string(ids.size()) + " of " +
                                   std::to_string(run.parts.size()) + " arrays were submitted";
      return Status::Unavailable("sbatch failed (exit " + std::to_string(r.exit_code) +
                                 "): " + Trim(r.output) + "; " + done);
    }
    out << "submitted " << PartName(run, static_cast<int>(i)) << ": job " << id << " (array "
        << SlurmArraySpec(part, run.options.max_parallel)
        << (run.rung.empty() ? ", rows " : ", rung " + run.rung + " positions ")
        << FormatIndexRanges(part.rows) << ")\n";
    ids.push_back(id);
    if (run.job_ids != nullptr) run.job_ids->push_back(id);
  }
  std::string list;
  for (const auto& id : ids) list += (list.empty() ? "" : ",") + id;
  out << "logs:  " << log_dir << "/<job name>-<job id>_<task>.out\n"
      << "watch: squeue --jobs=" << list << "\n       sweep status " << ShellQuote(run.storage)
      << "\n";
  out.flush();
  if (!run.options.wait) return Status::Ok();
  SWEEP_RETURN_IF_ERROR(WaitForSlurmJobs(ids, run.options.wait_timeout_s));
  return ReportRows(run, count, HighestExitCode(ids), out);
}

std::unique_ptr<JobArrayEngine> MakeSlurmEngine() { return std::make_unique<SlurmEngine>(); }

}  // namespace sweep
