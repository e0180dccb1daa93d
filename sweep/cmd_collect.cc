// `sweep collect` and `sweep status`: flags -> options -> Collect / ShowStatus
// (sweep/results/leaderboard.h).
#include <CLI/CLI.hpp>
#include <cstdio>

#include "base/exit_code.h"
#include "base/log.h"
#include "sweep/commands.h"
#include "sweep/results/collect.h"
#include "sweep/search/rung_status.h"

namespace sweep {
namespace {

// The rungs of an early_terminate sweep after the usual output (sweep/search/rung_status.h).
Status PrintRungs(const std::string& storage, std::FILE* to) {
  SWEEP_ASSIGN_OR_RETURN(std::vector<std::string> lines, search::RungStatusLines(storage));
  for (const std::string& line : lines) std::fprintf(to, "%s\n", line.c_str());
  return Status::Ok();
}

struct CollectFlags {
  CollectOptions options;
  std::string metric, goal, format;
};

}  // namespace

void AddCollectCommand(CLI::App& app, int* exit_code) {
  auto flags = std::make_shared<CollectFlags>();
  CLI::App* cmd = app.add_subcommand(
      "collect", "Rank a sweep's results: leaderboard, best model, failed and missing rows");
  CollectOptions& o = flags->options;
  cmd->add_option("storage", o.storage, "Results folder (or s3:// or gs:// root)")->required();
  cmd->add_option("--metric", flags->metric,
                  "Metric to rank by (default: the spec's, else val_accuracy)");
  cmd->add_option("--goal", flags->goal, "max or min (default: min for *loss, else max)")
      ->check(CLI::IsMember({"max", "min", "maximize", "minimize"}));
  CLI::Option* format =
      cmd->add_option("--format", flags->format,
                      "table, csv, json or md (default: from -o's extension, else table)")
          ->check(CLI::IsMember({"table", "csv", "json", "md", "markdown"}));
  cmd->add_option("--top", o.top, "Show only the best K rows")->check(CLI::NonNegativeNumber);
  cmd->add_option("-o,--output", o.output, "Write the leaderboard to this file");
  cmd->add_flag("--publish-best", o.publish_best,
                "Also copy the best row's model.h5 to STORAGE/best/ with best.json naming it");
  cmd->callback([flags, format, exit_code] {
    CollectOptions options = flags->options;
    if (format->count() > 0) options.format = flags->format;
    if (!flags->metric.empty()) options.metric = flags->metric;
    if (!flags->goal.empty()) options.goal = flags->goal;
    Status st = Collect(options);
    if (st.ok()) st = PrintRungs(options.storage, stderr);  // stdout may be CSV or JSON
    if (!st.ok()) log::Error("sweep collect: " + st.message());
    *exit_code = ToInt(ExitCodeFor(st));
  });

  auto storage = std::make_shared<std::string>();
  CLI::App* status = app.add_subcommand(
      "status", "Count a sweep's rows per state and list the ones to rerun (cheap, for watch)");
  status->add_option("storage", *storage, "Results folder (or s3:// or gs:// root)")->required();
  status->callback([storage, exit_code] {
    Status st = ShowStatus(*storage);
    if (st.ok()) st = PrintRungs(*storage, stdout);
    if (!st.ok()) log::Error("sweep status: " + st.message());
    *exit_code = ToInt(ExitCodeFor(st));
  });
}

}  // namespace sweep
