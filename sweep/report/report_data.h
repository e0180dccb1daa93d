// The data a `sweep report` page draws, collected once from a scan and its leaderboard and
// written as one compact JSON object (embedded in the HTML; sweep/report/assets/report.js
// reads it). Format version 1:
// {
//   "v": 1, "root": "s3://b/sweep", "expected": 12,
//   "metric": {"n": "val_accuracy", "max": true, "note": ""},
//   "curve": ["train_accuracy", "val_accuracy"],   the history series the curves draw: the
//                        metric's split replaced by train_ and val_ ("loss" alone: both as is)
//   "counts": {"succeeded": 9, "failed": 1, "diverged": 1, "unfinished": 0, "missing": 1,
//              "corrupt": 0},
//   "unfinished": "4-5", "missing": "11",        index ranges, "" when none
//   "seconds": 812.5, "epochs": 33,              training time and epochs over finished rows
//   "params": [{"k": "learning_rate", "t": "n", "log": true},      the varying hyperparameters
//              {"k": "hidden", "t": "c", "c": ["[16]", "[32, 16]"]}],  t: n numeric, c choice
//   "rows": [{"i": 3, "s": "s", "p": [0.01, 1], "m": 0.9312, "e": 3, "t": 4.51,
//             "h": [[train per epoch], [val per epoch]], "x": [epochs], "err": "..."}],
//       every row with a result.json, by index; s: s succeeded, f failed, d diverged;
//       p: per param, the number or the index into its "c" (null: absent); m: the metric (null
//       when absent); h: the curve series (null for an absent value); x: the epochs of h's
//       points, only when the history had more than kMaxCurvePoints epochs and was thinned to
//       kMaxCurvePoints points spread evenly (first and last kept); err: failed/diverged reason
//   "rank": [3, 7, ...],                         succeeded indices, best first
//   "best": {"i": 3, "params": {...all keys...}, "metrics": {...}, "model": "path"} | null,
//   "imp": [{"k": "learning_rate", "rho": -0.61, "eta": 0.52, "n": 9}],  importance.h; null
//                                                where undefined (rho for choices)
//   "problems": ["7/result.json: ..."]
// }
// Numbers are rounded to 6 significant digits (metric, params), 4 (curves, seconds).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sweep/results/leaderboard.h"
#include "sweep/results/scan.h"

namespace sweep::report {

inline constexpr int kReportDataVersion = 1;
inline constexpr size_t kMaxCurvePoints = 100;

// One varying hyperparameter as the charts see it.
struct ParamColumn {
  std::string key;
  bool numeric = true;              // every present value is a number
  bool log = false;                 // numeric, all > 0, max/min >= kLogRatio: drawn on log axes
  std::vector<std::string> labels;  // choices (ValueText), in order of first appearance
};

// A numeric axis is logarithmic when its positive values span at least this ratio: learning
// rates and weight decays (0.1, 0.01, 0.001) are, batch sizes 16..128 are not.
inline constexpr double kLogRatio = 20;

// The columns for `keys` over `rows` (params objects; a row lacking a key is skipped).
std::vector<ParamColumn> ParamColumns(const std::vector<std::string>& keys,
                                      const std::vector<nlohmann::json>& rows);

// The history series names for a metric: {"train_X", "val_X"} for "{split}_X", else the
// metric twice.
std::vector<std::string> CurveSeries(const std::string& metric);

// The indices of `n` history entries to keep: all when n <= max, else max spread evenly.
std::vector<size_t> ThinPoints(size_t n, size_t max = kMaxCurvePoints);

// The whole data object as compact JSON text (not yet escaped for a <script>; page.h does it).
std::string ReportDataJson(const Scan& scan, const Leaderboard& board);

}  // namespace sweep::report
