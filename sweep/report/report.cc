#include "sweep/report/report.h"

#include "base/file.h"
#include "sweep/report/page.h"
#include "sweep/report/report_data.h"
#include "sweep/results/leaderboard.h"
#include "sweep/results/scan.h"

namespace sweep::report {

StatusOr<ReportStats> WriteReport(const ReportOptions& o) {
  SWEEP_ASSIGN_OR_RETURN(std::optional<bool> maximize, ParseGoal(o.goal));
  if (o.output.empty()) return Status::InvalidArgument("-o: an output file is needed");
  ScanOptions scan_options;
  scan_options.keep_history = true;  // the learning curves
  SWEEP_ASSIGN_OR_RETURN(Scan scan, ScanStorage(o.storage, scan_options));
  if (o.metric) SWEEP_RETURN_IF_ERROR(CheckMetricPresent(*o.metric, scan));
  Leaderboard board = BuildLeaderboard(scan, ChooseMetric(o.metric, maximize, scan));
  const std::string page = RenderPage(ReportDataJson(scan, board), "sweep report: " + o.storage);
  SWEEP_RETURN_IF_ERROR(WriteFileAtomic(o.output, page).WithContext(o.output));
  ReportStats stats;
  for (const auto& row : scan.rows) stats.rows += row.result ? 1 : 0;
  stats.bytes = page.size();
  return stats;
}

}  // namespace sweep::report
