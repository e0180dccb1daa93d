#include "sweep/results/collect.h"

#include <algorithm>
#include <cstdio>

#include "base/file.h"
#include "storage/layout.h"
#include "sweep/results/leaderboard.h"
#include "sweep/results/publish_best.h"
#include "sweep/results/scan.h"

namespace sweep {

Status Collect(const CollectOptions& o) {
  Format format = Format::kTable;
  if (o.format) {
    SWEEP_ASSIGN_OR_RETURN(format, ParseFormat(*o.format));
  } else if (!o.output.empty()) {
    format = FormatForPath(o.output);
  }
  SWEEP_ASSIGN_OR_RETURN(std::optional<bool> maximize, ParseGoal(o.goal));
  if (o.top < 0) return Status::InvalidArgument("--top must be 0 (all) or more");
  SWEEP_ASSIGN_OR_RETURN(Scan scan, ScanStorage(o.storage));
  if (o.metric) SWEEP_RETURN_IF_ERROR(CheckMetricPresent(*o.metric, scan));
  Leaderboard board = BuildLeaderboard(scan, ChooseMetric(o.metric, maximize, scan));
  std::string data = RenderLeaderboard(scan, board, format, o.top);
  std::string summary = RenderSummary(scan, board);
  if (o.publish_best) {
    SWEEP_ASSIGN_OR_RETURN(int best, PublishBest(scan, board));
    std::fprintf(stderr, "published row %d (%s) to %s\n", best, ModelPathOf(scan, best).c_str(),
                 storage::BestModelPath(scan.root).c_str());
  }
  if (!o.output.empty()) {
    SWEEP_RETURN_IF_ERROR(WriteFileAtomic(o.output, data).WithContext(o.output));
    std::fprintf(stdout, "wrote %zu rows to %s\n%s",
                 std::min<size_t>(board.order.size(), o.top > 0 ? o.top : board.order.size()),
                 o.output.c_str(), summary.c_str());
    return Status::Ok();
  }
  std::fwrite(data.data(), 1, data.size(), stdout);
  std::fflush(stdout);
  if (format == Format::kCsv || format == Format::kJson) {
    std::fwrite(summary.data(), 1, summary.size(), stderr);
  } else {
    std::fputc('\n', stdout);
    std::fwrite(summary.data(), 1, summary.size(), stdout);
  }
  return Status::Ok();
}

Status ShowStatus(const std::string& storage) {
  SWEEP_ASSIGN_OR_RETURN(Scan scan, ScanStorage(storage));
  std::string text = RenderStatus(scan);
  std::fwrite(text.data(), 1, text.size(), stdout);
  return Status::Ok();
}

}  // namespace sweep
