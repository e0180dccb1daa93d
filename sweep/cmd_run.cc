// `sweep run`: flags -> RunOptions -> RunSweep (sweep/run/runner.h).
#include <CLI/CLI.hpp>

#include "base/log.h"
#include "sweep/commands.h"
#include "sweep/run/runner.h"

namespace sweep {

void AddRunCommand(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<RunOptions>();
  CLI::App* cmd = app.add_subcommand(
      "run", "Run the spec's rows locally, one sweep-worker process per row (a local job array)");
  RunOptions& o = *options;
  cmd->add_option("spec", o.spec_path, "Spec file (YAML: row list, defaults+runs, or W&B sweep)")
      ->required();
  cmd->add_option("--storage", o.storage, "Results folder (or s3:// or gs:// root)")
      ->capture_default_str();
  cmd->add_option("-j,--jobs", o.jobs, "Workers at a time (default: CPUs / --threads)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--threads", o.threads, "Threads per worker (SWEEP_THREADS)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--retries", o.retries, "Extra attempts for exit codes 75 and 143")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--only", o.only, "Only these indices, e.g. 3,5-7");
  cmd->add_flag("--missing", o.missing, "Only rows without a result");
  cmd->add_flag("--failed", o.failed, "Only rows whose result says failed");
  cmd->add_flag("--force", o.force, "Also rerun rows that already succeeded");
  cmd->add_flag("--replan", o.replan,
                "The spec changed: keep unchanged rows' results, move changed and removed rows' "
                "files to {storage}/history/, run the rest");
  cmd->add_option("--set", o.sets, "Override KEY=VALUE in every row (VALUE is YAML); repeatable")
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("--worker", o.worker, "sweep-worker executable (default: next to sweep, PATH)");
  cmd->add_option("--stop-timeout", o.stop_timeout_s,
                  "Seconds between SIGTERM and SIGKILL when stopping")
      ->capture_default_str();
  cmd->callback([options, exit_code] {
    StatusOr<RunReport> report = RunSweep(*options);
    if (!report.ok()) log::Error("sweep run: " + report.status().message());
    *exit_code = RunExitCode(report);
  });
}

}  // namespace sweep
