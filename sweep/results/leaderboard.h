// The ranking `sweep collect` prints: which metric, which hyperparameters vary, the sorted
// rows, and their rendering as an aligned table, CSV, JSON or GitHub markdown.
//
// CSV and JSON are meant for pandas as is: CSV has one header row, RFC 4180 quoting, list
// values rendered as one string ("[128, 64]"), empty cells for absent values; JSON is an array
// of flat records (one object per row, lists kept as JSON arrays, null for absent values).
// Columns: rank, index, the varying hyperparameters (a hyperparameter named like a fixed
// column gets a "param_" prefix), the ranking metric, epochs, seconds; CSV and JSON add the
// other metrics and the model path.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "sweep/results/scan.h"

namespace sweep {

struct MetricChoice {
  std::string name;
  bool maximize = true;
  std::string note;  // how it was chosen, when not given explicitly ("val_accuracy absent: ...")
};

// A row's value of metric `name`; nullopt without a result, without that metric, or NaN.
std::optional<double> MetricOf(const RowRecord& row, const std::string& name);

// Explicit --metric/--goal win; else the plan's metric; else val_accuracy (max). When the
// chosen default appears in no succeeded result, falls back to test_accuracy, then
// train_accuracy, then any metric present; a name ending in "loss" is minimised.
// Higher is better for a metric unless its name ends in "loss".
bool MaximizeByDefault(std::string_view metric);

// The metric to rank by when the wanted one is in no result: the first of val_accuracy,
// test_accuracy, train_accuracy, val_loss, test_loss, train_loss in `seen`, else the first of
// `seen`; nullopt when `seen` is empty. `sweep collect` and `sweep run`'s best-so-far agree.
std::optional<std::string> FallbackMetric(const std::set<std::string>& seen);

// --goal: "max"/"maximize" is true, "min"/"minimize" false; unset stays unset. Errors:
// InvalidArgument for anything else.
StatusOr<std::optional<bool>> ParseGoal(const std::optional<std::string>& goal);

MetricChoice ChooseMetric(const std::optional<std::string>& metric,
                          const std::optional<bool>& maximize, const Scan& scan);

// An explicit --metric that no succeeded row has is an error (InvalidArgument naming the nearest
// metric and those the rows have), not a board of "-" with a "best" row. Ok when some succeeded
// row has it, or when no row succeeded.
Status CheckMetricPresent(const std::string& metric, const Scan& scan);

// Keys whose value is not the same in every row (a key absent from some rows varies), sorted.
std::vector<std::string> VaryingKeys(const std::vector<nlohmann::json>& rows);

// The second ranking key: the loss of the metric's split (val_accuracy -> val_loss, min); for
// a split's loss, its accuracy (max); nullopt for a name without a split prefix.
std::optional<MetricChoice> TieBreakMetric(const MetricChoice& metric);

struct Leaderboard {
  MetricChoice metric;
  std::optional<MetricChoice> tie_break;   // TieBreakMetric(metric)
  std::vector<std::string> param_keys;     // the varying hyperparameters
  std::vector<std::string> other_metrics;  // every other metric name seen, sorted
  std::vector<int> order;                  // succeeded indices, best first; no metric = last
};

// Ranks the succeeded rows (never failed or diverged ones) by `metric`; rows with equal values
// by tie_break, then by index.
Leaderboard BuildLeaderboard(const Scan& scan, MetricChoice metric);

// The rows ranked first whose metric equals the best's (more than one: a tie), ascending.
std::vector<int> TiedAtTheTop(const Scan& scan, const Leaderboard& board);

enum class Format { kTable, kCsv, kJson, kMd };
StatusOr<Format> ParseFormat(const std::string& name);

// The format an output file's extension implies (case-insensitive): .csv, .json, .md (or
// .markdown); anything else is the table. `sweep collect -o` uses it unless --format is given.
Format FormatForPath(const std::string& path);

// The ranked rows (at most `top`, 0 = all) in `format`.
std::string RenderLeaderboard(const Scan& scan, const Leaderboard& board, Format format, int top);

// Human summary: the best row and its model path, then failed (with reasons), unfinished,
// missing and problem entries, and the command that reruns what is left.
std::string RenderSummary(const Scan& scan, const Leaderboard& board);

// `sweep status`: counts per state and the indices to rerun. Diverged rows are finished (not
// to rerun); failed rows with exit 2 get BadInputHint (selection.h), not the rerun command.
std::string RenderStatus(const Scan& scan);

// The failed rows whose exit code says bad input (IsBadInputExit), ascending.
std::vector<int> FailedOnBadInput(const Scan& scan);

// What status and collect say under diverged rows.
inline constexpr std::string_view kDivergedNote =
    "diverged rows are finished: a loss became NaN or infinite, so they have no model, and as "
    "they are they diverge again (lower the learning_rate; `--force --only N` reruns row N)";

// "  row 3: <reason> (<log>)" for the first `max` missing rows whose engine log gives a reason,
// then "  ... N more (<log folder>)"; "" when none does.
std::string RenderLoggedErrors(const Scan& scan, size_t max = 10);

// Where row `index`'s model is: its result's "model" under the index folder, else the layout's
// default path.
std::string ModelPathOf(const Scan& scan, int index);

// A hyperparameter value as text: strings raw, lists "[128, 64]", null as "".
std::string ValueText(const nlohmann::json& value);

}  // namespace sweep
