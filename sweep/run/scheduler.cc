#include "sweep/run/scheduler.h"

#include <dirent.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <deque>
#include <map>
#include <optional>
#include <set>

#include "base/file.h"
#include "storage/layout.h"
#include "storage/result.h"
#include "sweep/results/leaderboard.h"
#include "sweep/results/scan.h"
#include "sweep/results/selection.h"
#include "sweep/run/child_process.h"
#include "sweep/run/progress.h"
#include "sweep/run/stop_signals.h"

namespace sweep {
namespace {

double Now() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

// Removes the temp files of an atomic write that a SIGKILL interrupted (".name.tmp.pid.n").
void RemoveTempFiles(const std::string& dir) {
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return;
  while (struct dirent* e = readdir(d)) {
    std::string_view name = e->d_name;
    if (IsTempName(name)) {
      unlinkat(dirfd(d), e->d_name, 0);
    }
  }
  closedir(d);
}

struct Child {
  int index = 0;
  int attempt = 1;
  double start = 0;
  std::optional<std::string> old_result;  // result.json before this attempt, to spot a new one
};

class Loop {
 public:
  Loop(const ScheduleConfig& config, storage::Store& store)
      : c_(config),
        store_(store),
        local_root_(store.LocalPath("")),
        progress_(stderr, config.live) {
    counts_.total = config.count;
    counts_.skipped = config.skipped;
  }

  RunReport Run(const std::vector<int>& rows) {
    StopSignals signals;
    start_ = Now();
    for (int i : rows) pending_.push_back({i, 1});
    counts_.selected = static_cast<int>(rows.size());
    report_.selected = counts_.selected;
    report_.skipped = c_.skipped;
    while (!pending_.empty() || !running_.empty()) {
      if (StopSignals::First() != 0) Stop();
      while (!stopping_ && !pending_.empty() && static_cast<int>(running_.size()) < c_.jobs) {
        auto [index, attempt] = pending_.front();
        pending_.pop_front();
        Start(index, attempt);
      }
      bool finished = false;
      while (std::optional<ChildExit> exit = ReapChild()) Finished(*exit), finished = true;
      if (stopping_ && !killed_ && (Now() > kill_at_ || StopSignals::Count() > 1)) KillAll();
      counts_.running = static_cast<int>(running_.size());
      // Redraw at once when a row finished (counts and best changed); else at most every 0.1 s.
      progress_.Update(counts_, Now() - start_, best_, metric_, /*force=*/finished);
      if (!running_.empty()) usleep(20000);
    }
    progress_.Finish();
    Summary();
    return report_;
  }

 private:
  std::string LogPathFor(int index) const {
    if (!local_root_.empty()) return storage::LogPath(local_root_, index);
    return storage::LocalLogPathForRemote(index);  // an s3:// root has no local folder
  }

  // Where the row's worker publishes: result.json, or its record in a rung.
  std::string RecordKey(int index) const {
    auto it = c_.rungs.find(index);
    return it == c_.rungs.end() ? storage::ResultPath("", index) : it->second.record_key;
  }

  void Start(int index, int attempt) {
    std::string log = LogPathFor(index);
    Status dir = CreateDirectories(log.substr(0, log.rfind('/')));
    ChildSpec spec;
    spec.program = c_.worker;
    spec.args = {"--params", c_.spec_arg, "--storage", c_.storage_arg};
    for (const auto& s : c_.sets) {
      spec.args.push_back("--set");
      spec.args.push_back(s);
    }
    spec.env = {{"AWS_BATCH_JOB_ARRAY_INDEX", std::to_string(index)},
                {"AWS_BATCH_JOB_ARRAY_SIZE", std::to_string(c_.count)},
                {"AWS_BATCH_JOB_ATTEMPT", std::to_string(attempt)},
                {"SWEEP_INDEX", std::to_string(index)},
                {"SWEEP_THREADS", std::to_string(c_.threads)}};
    spec.env_unset = {"SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX", "BATCH_TASK_INDEX",
                      "BATCH_TASK_RETRY_ATTEMPT", "SLURM_RESTART_COUNT"};
    if (auto it = c_.rungs.find(index); it != c_.rungs.end()) {
      for (auto& [name, value] : spec.env) {
        if (name == "AWS_BATCH_JOB_ARRAY_INDEX" || name == "SWEEP_INDEX") {
          value = std::to_string(it->second.position);
        }
      }
      spec.env.emplace_back("SWEEP_RUNG", it->second.rung);
    } else {
      spec.env_unset.push_back("SWEEP_RUNG");
    }
    spec.log_path = log;
    // A promoted row goes on in the log of its earlier rungs.
    spec.append_log =
        attempt > 1 || (c_.rungs.count(index) > 0 && !c_.rungs.at(index).rung.ends_with("-0"));
    Child child{index, attempt, Now(), std::nullopt};
    if (StatusOr<std::string> old = store_.Get(RecordKey(index)); old.ok()) {
      child.old_result = std::move(old).value();
    }
    StatusOr<pid_t> pid = dir.ok() ? SpawnChild(spec) : StatusOr<pid_t>(dir);
    if (!pid.ok()) {
      Fail(child, 1, "could not start the worker: " + pid.status().ToString());
      return;
    }
    running_[*pid] = std::move(child);
  }

  void Finished(const ChildExit& exit) {
    auto it = running_.find(exit.pid);
    if (it == running_.end()) return;  // not ours
    Child child = std::move(it->second);
    running_.erase(it);
    double took = Now() - child.start;
    bool fresh = false;
    std::optional<storage::RunResult> current = CurrentResult(child, &fresh);
    // Exit 0 with a succeeded result in place is a success even if the bytes did not change.
    if (exit.code == 0 && current && current->succeeded()) {
      Succeeded(child, *current, took);
      return;
    }
    if (exit.code == 0 && current && current->status == storage::ResultStatus::kDiverged) {
      Diverged(child, *current);
      return;
    }
    if (!fresh) current.reset();
    const std::optional<storage::RunResult>& fresh_result = current;
    std::string reason = fresh_result && !fresh_result->succeeded() && !fresh_result->error.empty()
                             ? fresh_result->error
                             : LastLine(LogPathFor(child.index));
    if (exit.code == 0) reason = "exited 0 without publishing a succeeded result.json";
    if (reason.empty()) reason = "no output in " + LogPathFor(child.index);
    if (stopping_) {
      progress_.Line("row " + std::to_string(child.index) + " stopped (exit " +
                     std::to_string(exit.code) + ")");
      report_stopped_.push_back(child.index);
      if (exit.signal == SIGKILL && !local_root_.empty()) {
        RemoveTempFiles(storage::IndexDir(local_root_, child.index));
        RemoveTempFiles(storage::ModelDir(local_root_, child.index));
      }
      return;
    }
    if (IsRetryable(exit.code) && child.attempt <= c_.retries) {
      progress_.Line("row " + std::to_string(child.index) + " attempt " +
                     std::to_string(child.attempt) + " exited " + std::to_string(exit.code) +
                     " (transient): " + reason + "; retrying (attempt " +
                     std::to_string(child.attempt + 1) + " of " + std::to_string(c_.retries + 1) +
                     ")");
      pending_.push_back({child.index, child.attempt + 1});
      return;
    }
    Fail(child, exit.code, reason, fresh_result.has_value());
  }

  // The row's result.json now; `fresh` tells whether this attempt wrote it.
  std::optional<storage::RunResult> CurrentResult(const Child& child, bool* fresh) {
    StatusOr<std::string> text = store_.Get(RecordKey(child.index));
    if (!text.ok()) return std::nullopt;
    *fresh = !child.old_result || *child.old_result != *text;
    StatusOr<storage::RunResult> parsed = storage::ParseResult(*text);
    if (!parsed.ok()) return std::nullopt;
    return std::move(parsed).value();
  }

  // The ranking metric: the spec's, else val_accuracy; when the first succeeded result lacks
  // it, the first of the usual metrics it has (as `sweep collect` does).
  std::optional<double> MetricOf(const storage::RunResult& r) {
    if (!metric_locked_ && !r.metrics.empty()) {
      metric_locked_ = true;
      if (!r.metrics.count(metric_)) {
        std::set<std::string> seen;
        for (const auto& [name, value] : r.metrics) seen.insert(name);
        metric_ = *FallbackMetric(seen);
        maximize_ = MaximizeByDefault(metric_);
      }
    }
    auto it = r.metrics.find(metric_);
    if (it == r.metrics.end() || std::isnan(it->second)) return std::nullopt;
    return it->second;
  }

  void Succeeded(const Child& child, const storage::RunResult& r, double took) {
    ++counts_.succeeded;
    ++report_.succeeded;
    std::string line =
        "row " + std::to_string(child.index) + " succeeded in " + FormatDuration(took);
    if (std::optional<double> v = MetricOf(r)) {
      char buf[96];
      std::snprintf(buf, sizeof(buf), " %s=%.4g", metric_.c_str(), *v);
      line += buf;
      if (!best_ || (maximize_ ? *v > best_->value : *v < best_->value)) {
        best_ = BestSoFar{child.index, *v};
      }
    }
    if (child.attempt > 1) line += " (attempt " + std::to_string(child.attempt) + ")";
    if (auto it = c_.rungs.find(child.index); it != c_.rungs.end()) {
      line += " (rung " + it->second.rung + ", epoch " + std::to_string(r.epochs) + ")";
    }
    progress_.Line(line);
  }

  // Finished, not failed: the worker exited 0 and the same row diverges again, so no retry.
  void Diverged(const Child& child, const storage::RunResult& r) {
    ++counts_.diverged;
    report_.diverged.push_back(child.index);
    progress_.Line("row " + std::to_string(child.index) + " " +
                   (r.error.empty() ? "diverged" : r.error) + " (no model)");
  }

  void Fail(const Child& child, int code, const std::string& reason, bool has_result = false) {
    ++counts_.failed;
    report_.failed.push_back(child.index);
    if (IsBadInputExit(code)) report_.bad_input.push_back(child.index);
    reasons_[child.index] = "exit " + std::to_string(code) + ": " + reason;
    progress_.Line("row " + std::to_string(child.index) + " failed (exit " + std::to_string(code) +
                   "): " + reason);
    if (has_result) return;
    // No record of the failure in storage: write one, so collect shows the reason and
    // `--failed` finds the row.
    storage::RunResult r;
    r.index = child.index;
    r.status = storage::ResultStatus::kFailed;
    r.attempt = child.attempt;
    r.exit_code = code;
    r.error = "worker exited with code " + std::to_string(code) + ": " + reason;
    char host[256] = {};
    if (gethostname(host, sizeof(host) - 1) == 0) r.host = host;
    Status st = store_.Put(RecordKey(child.index), ToJsonText(r));
    if (!st.ok()) progress_.Line("warning: could not record the failure: " + st.ToString());
  }

  void Stop() {
    if (stopping_) return;
    stopping_ = true;
    kill_at_ = Now() + c_.stop_timeout_s;
    report_.interrupted_by = StopSignals::First();
    progress_.Line("sweep: " + SignalName(report_.interrupted_by) + ": stopping " +
                   std::to_string(running_.size()) + " running worker(s) (SIGTERM; SIGKILL after " +
                   FormatDuration(c_.stop_timeout_s) + ", or on a second Ctrl-C)");
    not_started_ = static_cast<int>(pending_.size());
    pending_.clear();
    for (const auto& [pid, child] : running_) SignalGroup(pid, SIGTERM);
  }

  void KillAll() {
    killed_ = true;
    if (!running_.empty())
      progress_.Line("sweep: killing " + std::to_string(running_.size()) + " worker(s)");
    for (const auto& [pid, child] : running_) SignalGroup(pid, SIGKILL);
  }

  void Summary() {
    double took = Now() - start_;
    std::string line = "sweep: " + std::to_string(report_.succeeded) + " of " +
                       std::to_string(report_.selected) +
                       (report_.selected == 1 ? " row" : " rows") + " succeeded";
    if (!report_.diverged.empty())
      line += ", " + std::to_string(report_.diverged.size()) + " diverged";
    if (!report_.failed.empty()) line += ", " + std::to_string(report_.failed.size()) + " failed";
    if (c_.skipped > 0) line += ", " + std::to_string(c_.skipped) + " skipped";
    line += " in " + FormatDuration(took);
    if (best_) {
      char buf[96];
      std::snprintf(buf, sizeof(buf), "; best row %d %s=%.4g (%s)", best_->index, metric_.c_str(),
                    best_->value, maximize_ ? "max" : "min");
      line += buf;
      line += " " + storage::ModelPath(store_.root(), best_->index);
    }
    std::fprintf(stderr, "%s\n", line.c_str());
    if (report_.interrupted_by != 0) {
      std::sort(report_stopped_.begin(), report_stopped_.end());
      std::fprintf(stderr,
                   "sweep: interrupted by %s: %zu row(s) stopped (%s), %d not started; "
                   "rerun the same command to resume\n",
                   SignalName(report_.interrupted_by).c_str(), report_stopped_.size(),
                   FormatIndexRanges(report_stopped_).c_str(), not_started_);
    }
    if (!report_.diverged.empty()) {
      std::sort(report_.diverged.begin(), report_.diverged.end());
      std::fprintf(stderr, "diverged rows: %s\n%s\n", FormatIndexRanges(report_.diverged).c_str(),
                   std::string(kDivergedNote).c_str());
    }
    if (!report_.failed.empty()) FailedSummary();
  }

  // The failed rows with their reasons; `--failed` for those worth a rerun as they are, "fix
  // the spec, then --replan" for those that failed on bad input (exit 2).
  void FailedSummary() {
    std::sort(report_.failed.begin(), report_.failed.end());
    std::sort(report_.bad_input.begin(), report_.bad_input.end());
    std::fprintf(stderr, "failed rows: %s\n", FormatIndexRanges(report_.failed).c_str());
    for (int i : report_.failed) std::fprintf(stderr, "  row %d (%s)\n", i, reasons_[i].c_str());
    if (!report_.bad_input.empty()) {
      std::fputs(BadInputHint(report_.bad_input, c_.rerun_replan).c_str(), stderr);
    }
    const size_t others = report_.failed.size() - report_.bad_input.size();
    if (others == 0) return;
    std::fprintf(stderr, "rerun %s with: %s\n",
                 report_.bad_input.empty() ? "them" : "the others (not bad input)",
                 c_.rerun_failed.c_str());
  }

  const ScheduleConfig& c_;
  storage::Store& store_;
  std::string local_root_;
  Progress progress_;
  ProgressCounts counts_;
  RunReport report_;
  std::deque<std::pair<int, int>> pending_;  // (index, attempt)
  std::map<pid_t, Child> running_;
  std::map<int, std::string> reasons_;
  std::vector<int> report_stopped_;
  int not_started_ = 0;
  std::optional<BestSoFar> best_;
  std::string metric_ = c_.metric.empty() ? "val_accuracy" : c_.metric;
  bool metric_locked_ = false;
  bool maximize_ = c_.maximize;
  double start_ = 0;
  bool stopping_ = false;
  bool killed_ = false;
  double kill_at_ = 0;
};

}  // namespace

bool IsRetryable(int exit_code) { return exit_code == 75 || exit_code == 143; }

RunReport RunRows(const ScheduleConfig& config, const std::vector<int>& rows,
                  storage::Store& store) {
  return Loop(config, store).Run(rows);
}

}  // namespace sweep
