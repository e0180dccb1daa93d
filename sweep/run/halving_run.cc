#include "sweep/run/halving_run.h"

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "base/strings.h"
#include "storage/layout.h"
#include "storage/result.h"
#include "sweep/search/rung_decision.h"

namespace sweep {
namespace {

// The row's record in the rung says it finished there (succeeded or diverged).
bool RecordDone(storage::Store& store, const std::string& key) {
  StatusOr<std::string> text = store.Get(key);
  if (!text.ok()) return false;
  StatusOr<storage::RunResult> r = storage::ParseResult(*text);
  return r.ok() && r->status != storage::ResultStatus::kFailed;
}

bool Decided(storage::Store& store, int bracket, int rung) {
  return store.Get(storage::RungPath("", bracket, rung)).ok();
}

struct Wave {
  std::vector<int> run;
  int skipped = 0;
  std::vector<std::string> lines;
};

// Rung `w` of every bracket: its rows (deciding the promotion when needed) and which still run.
StatusOr<Wave> PlanWave(const search::HalvingPlan& plan, int w, storage::Store& store,
                        ScheduleConfig* config) {
  Wave wave;
  for (size_t b = 0; b < plan.brackets.size(); ++b) {
    const std::vector<search::HalvingRung>& rungs = plan.brackets[b].rungs;
    if (w >= static_cast<int>(rungs.size())) continue;
    const search::HalvingRung& rung = rungs[w];
    SWEEP_ASSIGN_OR_RETURN(std::vector<int> rows, search::RungRows(store, plan, b, w));
    const bool closed = !rung.last && Decided(store, b, w + 1);
    int to_run = 0;
    for (size_t p = 0; p < rows.size(); ++p) {
      const std::string key = rung.last ? storage::ResultPath("", rows[p])
                                        : storage::BandPath("", rows[p], rung.epochs);
      if (closed || RecordDone(store, key)) {
        ++wave.skipped;
        continue;
      }
      config->rungs[rows[p]] = {std::to_string(b) + "-" + std::to_string(w), static_cast<int>(p),
                                key};
      wave.run.push_back(rows[p]);
      ++to_run;
    }
    std::string line = "sweep: rung " + std::to_string(w) +
                       (plan.brackets.size() > 1 ? " of bracket " + std::to_string(b) : "") + ": " +
                       std::to_string(rows.size()) + " rows to epoch " +
                       std::to_string(rung.epochs) + ", running " + std::to_string(to_run);
    if (w > 0) line += "; promoted rows " + FormatIndexRanges(rows);
    wave.lines.push_back(line);
  }
  std::sort(wave.run.begin(), wave.run.end());
  return wave;
}

void AddUp(const RunReport& r, RunReport* total) {
  total->selected += r.selected;
  total->succeeded += r.succeeded;
  total->skipped += r.skipped;
  total->failed.insert(total->failed.end(), r.failed.begin(), r.failed.end());
  total->bad_input.insert(total->bad_input.end(), r.bad_input.begin(), r.bad_input.end());
  total->diverged.insert(total->diverged.end(), r.diverged.begin(), r.diverged.end());
  total->interrupted_by = r.interrupted_by;
}

}  // namespace

StatusOr<RunReport> RunHalving(const ScheduleConfig& base, const search::HalvingPlan& plan,
                               storage::Store& store) {
  for (const std::string& line : search::DescribeHalvingPlan(plan)) {
    std::fprintf(stderr, "sweep: successive halving: %s\n", line.c_str());
  }
  RunReport total;
  for (int w = 0; w < plan.MaxRungs(); ++w) {
    ScheduleConfig config = base;
    SWEEP_ASSIGN_OR_RETURN(Wave wave, PlanWave(plan, w, store, &config));
    for (const std::string& line : wave.lines) std::fprintf(stderr, "%s\n", line.c_str());
    config.skipped = wave.skipped;
    RunReport report = wave.run.empty() ? RunReport() : RunRows(config, wave.run, store);
    report.skipped = wave.skipped;
    AddUp(report, &total);
    if (report.interrupted_by != 0) return total;
  }
  std::fprintf(stderr, "sweep: successive halving done: %lld epochs over all rungs\n",
               static_cast<long long>(plan.TotalEpochs()));
  return total;
}

}  // namespace sweep
