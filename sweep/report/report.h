// `sweep report ROOT`: scan a folder, s3:// or gs:// sweep (finished or still running), rank it,
// and write one self-contained HTML page (page.h) with its summary, leaderboard, learning curves,
// parallel coordinates, metric against each hyperparameter, parameter importance (importance.h)
// and the failed and diverged rows. The command in sweep/cmd_report.cc only parses flags and
// calls this.
#pragma once

#include <optional>
#include <string>

#include "base/status.h"

namespace sweep::report {

struct ReportOptions {
  std::string storage;                 // local folder, s3:// or gs:// root
  std::string output = "report.html";  // a local file, written atomically
  std::optional<std::string> metric;   // default: ChooseMetric (the spec's, else val_accuracy)
  std::optional<std::string> goal;     // "max"/"min" (also maximize/minimize)
};

struct ReportStats {
  int rows = 0;      // rows with a result drawn
  size_t bytes = 0;  // size of the written file
};

// Errors: those of ScanStorage; InvalidArgument for a bad --goal or a --metric no row has;
// Unavailable when the output cannot be written.
StatusOr<ReportStats> WriteReport(const ReportOptions& options);

}  // namespace sweep::report
