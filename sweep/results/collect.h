// `sweep collect` and `sweep status`: scan the storage (scan.h), rank (leaderboard.h), render
// and write. The commands in sweep/cmd_collect.cc only parse flags and call these.
#pragma once

#include <optional>
#include <string>

#include "base/status.h"

namespace sweep {

struct CollectOptions {
  std::string storage;
  std::optional<std::string> metric;
  std::optional<std::string> goal;  // "max"/"min" (also maximize/minimize)
  // table/csv/json/md; unset: the one `output`'s extension names (FormatForPath), else table.
  std::optional<std::string> format;
  int top = 0;                // 0 = all
  std::string output;         // "" = stdout
  bool publish_best = false;  // also publish {storage}/best/ (publish_best.h)
};

// `sweep collect`: the leaderboard on stdout (or `output`) and the summary. For csv and json
// the data stream stays clean: the summary goes to stderr (to stdout when writing a file).
// With publish_best, then publishes the best row under {storage}/best/ and says so on stderr.
Status Collect(const CollectOptions& options);

// `sweep status`: RenderStatus on stdout.
Status ShowStatus(const std::string& storage);

}  // namespace sweep
