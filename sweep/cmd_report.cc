// `sweep report`: flags -> ReportOptions -> WriteReport (sweep/report/report.h).
#include <CLI/CLI.hpp>
#include <cstdio>

#include "base/exit_code.h"
#include "base/log.h"
#include "sweep/commands.h"
#include "sweep/report/report.h"

namespace sweep {
namespace {

struct ReportFlags {
  report::ReportOptions options;
  std::string metric, goal;
};

}  // namespace

void AddReportCommand(CLI::App& app, int* exit_code) {
  auto flags = std::make_shared<ReportFlags>();
  CLI::App* cmd = app.add_subcommand(
      "report", "Write one self-contained HTML page of a sweep: leaderboard, curves, importance");
  report::ReportOptions& o = flags->options;
  cmd->add_option("storage", o.storage,
                  "Results folder (or s3:// or gs:// root), finished or running")
      ->required();
  cmd->add_option("-o,--output", o.output, "HTML file to write (default: report.html)");
  cmd->add_option("--metric", flags->metric,
                  "Metric to rank and plot (default: the spec's, else val_accuracy)");
  cmd->add_option("--goal", flags->goal, "max or min (default: min for *loss, else max)")
      ->check(CLI::IsMember({"max", "min", "maximize", "minimize"}));
  cmd->callback([flags, exit_code] {
    report::ReportOptions options = flags->options;
    if (!flags->metric.empty()) options.metric = flags->metric;
    if (!flags->goal.empty()) options.goal = flags->goal;
    StatusOr<report::ReportStats> stats = report::WriteReport(options);
    if (!stats.ok()) {
      log::Error("sweep report: " + stats.status().message());
      *exit_code = ToInt(ExitCodeFor(stats.status()));
      return;
    }
    std::printf("wrote %s (%d rows, %.1f KB): open it in a browser, it works offline\n",
                options.output.c_str(), stats->rows, stats->bytes / 1024.0);
    *exit_code = 0;
  });
}

}  // namespace sweep
