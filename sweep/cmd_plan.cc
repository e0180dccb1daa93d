// `sweep plan --storage S [--check]`: the successive-halving plan of the sweep stored there
// (rungs, their sizes and epochs) and, with --check, every promotion file recomputed from the
// band records and compared byte for byte (sweep/search/rung_decision.h); for a method: bayes
// sweep its waves, and every wave file recomputed (tpe_waves.h). Exit 1 on a mismatch.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>

#include "base/exit_code.h"
#include "storage/store.h"
#include "sweep/commands.h"
#include "sweep/search/halving.h"
#include "sweep/search/rung_decision.h"
#include "sweep/search/tpe_waves.h"

namespace sweep {
namespace {

struct PlanOptions {
  std::string storage = "sweep-results";
  bool check = false;
};

int Fail(const Status& status) {
  std::fprintf(stderr, "sweep plan: %s\n", status.message().c_str());
  return ToInt(ExitCodeFor(status));
}

// A bayes spec: its waves, and with --check each wave file recomputed.
int RunWaves(const PlanOptions& o, storage::Store& store, const Spec& spec) {
  std::printf("bayes (TPE): %d rows in %d waves of %d\n", spec.bayes->run_cap, spec.bayes->waves(),
              spec.bayes->wave_size);
  if (!o.check) return 0;
  StatusOr<search::DecisionCheck> check = search::CheckWaves(store, spec);
  if (!check.ok()) return Fail(check.status());
  for (const std::string& line : check->lines) std::printf("%s\n", line.c_str());
  std::printf("%d wave%s checked, %zu mismatch%s\n", check->checked, check->checked == 1 ? "" : "s",
              check->problems.size(), check->problems.size() == 1 ? "" : "es");
  return check->problems.empty() ? 0 : 1;
}

int RunPlan(const PlanOptions& o) {
  StatusOr<std::unique_ptr<storage::Store>> store = storage::OpenStore(o.storage);
  if (!store.ok()) return Fail(store.status());
  StatusOr<Spec> spec = search::StoredSpec(**store);
  if (!spec.ok()) return Fail(spec.status());
  if (spec->bayes) return RunWaves(o, **store, *spec);
  StatusOr<search::HalvingPlan> plan = search::StoredHalvingPlan(**store);
  if (!plan.ok()) return Fail(plan.status());
  for (const std::string& line : search::DescribeHalvingPlan(*plan)) {
    std::printf("%s\n", line.c_str());
  }
  if (!o.check) return 0;
  StatusOr<search::DecisionCheck> check = search::CheckDecisions(**store, *plan);
  if (!check.ok()) return Fail(check.status());
  for (const std::string& line : check->lines) std::printf("%s\n", line.c_str());
  std::printf("%d decision%s checked, %zu mismatch%s\n", check->checked,
              check->checked == 1 ? "" : "s", check->problems.size(),
              check->problems.size() == 1 ? "" : "es");
  return check->problems.empty() ? 0 : 1;
}

}  // namespace

void AddPlanCommand(CLI::App& app, int* exit_code) {
  auto o = std::make_shared<PlanOptions>();
  CLI::App* cmd = app.add_subcommand(
      "plan",
      "Show the rungs or waves of an adaptive sweep; --check recomputes every decision file");
  cmd->add_option("--storage", o->storage, "Results root, folder or s3://bucket/prefix")
      ->capture_default_str();
  cmd->add_flag("--check", o->check,
                "Recompute every promotion file from the band records; exit 1 on a mismatch");
  cmd->callback([o, exit_code] { *exit_code = RunPlan(*o); });
}

}  // namespace sweep
