#include "sweep/run/bayes_run.h"

#include <cstdio>
#include <vector>

#include "storage/layout.h"
#include "storage/result.h"
#include "sweep/search/tpe_waves.h"

namespace sweep {
namespace {

bool Finished(storage::Store& store, int index) {
  StatusOr<std::string> text = store.Get(storage::ResultPath("", index));
  if (!text.ok()) return false;
  StatusOr<storage::RunResult> r = storage::ParseResult(*text);
  return r.ok() && r->status != storage::ResultStatus::kFailed;
}

}  // namespace

StatusOr<RunReport> RunBayes(const ScheduleConfig& base, const Spec& spec, storage::Store& store) {
  const BayesSearch& b = *spec.bayes;
  std::fprintf(stderr, "sweep: bayes (TPE): %d rows in %d waves of %d\n", b.run_cap, b.waves(),
               b.wave_size);
  RunReport total;
  for (int w = 0; w < b.waves(); ++w) {
    SWEEP_ASSIGN_OR_RETURN(std::vector<nlohmann::json> rows, search::WaveRows(store, spec, w));
    std::vector<int> run;
    int skipped = 0;
    for (size_t s = 0; s < rows.size(); ++s) {
      const int index = w * b.wave_size + static_cast<int>(s);
      if (Finished(store, index)) {
        ++skipped;
      } else {
        run.push_back(index);
      }
    }
    std::fprintf(stderr, "sweep: wave %d: rows %d-%d, running %zu\n", w, w * b.wave_size,
                 w * b.wave_size + static_cast<int>(rows.size()) - 1, run.size());
    ScheduleConfig config = base;
    config.skipped = skipped;
    RunReport report = run.empty() ? RunReport() : RunRows(config, run, store);
    total.selected += report.selected;
    total.succeeded += report.succeeded;
    total.skipped += skipped;
    total.failed.insert(total.failed.end(), report.failed.begin(), report.failed.end());
    total.bad_input.insert(total.bad_input.end(), report.bad_input.begin(), report.bad_input.end());
    total.diverged.insert(total.diverged.end(), report.diverged.begin(), report.diverged.end());
    total.interrupted_by = report.interrupted_by;
    if (report.interrupted_by != 0) break;
  }
  return total;
}

}  // namespace sweep
