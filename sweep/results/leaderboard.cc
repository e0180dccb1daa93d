#include "sweep/results/leaderboard.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "base/strings.h"
#include "storage/layout.h"
#include "sweep/results/selection.h"

namespace sweep {

using nlohmann::json;

std::optional<double> MetricOf(const RowRecord& row, const std::string& name) {
  if (!row.result) return std::nullopt;
  auto it = row.result->metrics.find(name);
  if (it == row.result->metrics.end() || std::isnan(it->second)) return std::nullopt;
  return it->second;
}

namespace {

// Every metric name in a succeeded row's result.
std::set<std::string> SucceededMetrics(const Scan& scan) {
  std::set<std::string> seen;
  for (const auto& row : scan.rows) {
    if (row.state != RowState::kSucceeded || !row.result) continue;
    for (const auto& [name, value] : row.result->metrics) seen.insert(name);
  }
  return seen;
}

}  // namespace

MetricChoice ChooseMetric(const std::optional<std::string>& metric,
                          const std::optional<bool>& maximize, const Scan& scan) {
  MetricChoice choice;
  if (metric) {
    choice.name = *metric;
    choice.maximize = maximize.value_or(MaximizeByDefault(*metric));
    return choice;
  }
  std::string why;
  if (scan.plan && scan.plan->metric) {
    choice.name = scan.plan->metric->name;
    choice.maximize = maximize.value_or(scan.plan->metric->maximize);
    why = "the spec's metric " + choice.name;
  } else {
    choice.name = "val_accuracy";
    choice.maximize = maximize.value_or(true);
    why = "val_accuracy";
  }
  std::set<std::string> seen = SucceededMetrics(scan);
  if (seen.empty() || seen.count(choice.name)) {
    if (scan.plan && scan.plan->metric) choice.note = "metric " + choice.name + " from the spec";
    return choice;
  }
  choice.name = *FallbackMetric(seen);
  choice.maximize = maximize.value_or(MaximizeByDefault(choice.name));
  choice.note = why + " is in no result; ranking by " + choice.name + " (" +
                (choice.maximize ? "max" : "min") + ")";
  return choice;
}

Status CheckMetricPresent(const std::string& metric, const Scan& scan) {
  std::set<std::string> seen = SucceededMetrics(scan);
  if (seen.empty() || seen.count(metric)) return Status::Ok();
  std::vector<std::string> names(seen.begin(), seen.end());
  std::string hint = DidYouMean(metric, names);
  if (hint.empty()) {
    // An abbreviation ("val_acc") is too far off for an edit-distance typo: offer the one name
    // that starts with it.
    std::vector<std::string> starting;
    for (const auto& n : names) {
      if (!metric.empty() && n.rfind(metric, 0) == 0) starting.push_back(n);
    }
    if (starting.size() == 1) hint = " (did you mean '" + starting.front() + "'?)";
  }
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
  return Status::InvalidArgument("--metric " + metric + ": no succeeded row has it" + hint +
                                 "; the rows have: " + list);
}

bool MaximizeByDefault(std::string_view metric) { return !EndsWith(metric, "loss"); }

std::optional<std::string> FallbackMetric(const std::set<std::string>& seen) {
  for (const char* name :
       {"val_accuracy", "test_accuracy", "train_accuracy", "val_loss", "test_loss", "train_loss"}) {
    if (seen.count(name)) return name;
  }
  if (seen.empty()) return std::nullopt;
  return *seen.begin();
}

StatusOr<std::optional<bool>> ParseGoal(const std::optional<std::string>& goal) {
  if (!goal) return std::optional<bool>();
  if (*goal == "max" || *goal == "maximize") return std::optional<bool>(true);
  if (*goal == "min" || *goal == "minimize") return std::optional<bool>(false);
  return Status::InvalidArgument("--goal " + *goal + ": expected max or min");
}

std::vector<std::string> VaryingKeys(const std::vector<json>& rows) {
  std::set<std::string> keys;
  for (const auto& row : rows) {
    if (!row.is_object()) continue;
    for (auto it = row.begin(); it != row.end(); ++it) keys.insert(it.key());
  }
  std::vector<std::string> out;
  for (const auto& key : keys) {
    const json* first = nullptr;
    bool varies = false;
    bool first_seen = false;
    for (const auto& row : rows) {
      const json* v = row.is_object() && row.contains(key) ? &row[key] : nullptr;
      if (!first_seen) {
        first = v;
        first_seen = true;
      } else if ((first == nullptr) != (v == nullptr) || (v && *v != *first)) {
        varies = true;
        break;
      }
    }
    if (varies) out.push_back(key);
  }
  return out;
}

std::optional<MetricChoice> TieBreakMetric(const MetricChoice& metric) {
  const size_t underscore = metric.name.find('_');
  if (underscore == std::string::npos || underscore == 0) return std::nullopt;
  const std::string split = metric.name.substr(0, underscore);
  if (metric.name == split + "_loss") return MetricChoice{split + "_accuracy", true, ""};
  return MetricChoice{split + "_loss", false, ""};
}

namespace {

// -1: row a ranks before row b by `m`; 1: after; 0: equal (both absent counts as equal).
int CompareBy(const Scan& scan, int a, int b, const MetricChoice& m) {
  std::optional<double> va = MetricOf(scan.rows[a], m.name), vb = MetricOf(scan.rows[b], m.name);
  if (va.has_value() != vb.has_value()) return va.has_value() ? -1 : 1;
  if (!va || *va == *vb) return 0;
  return (m.maximize ? *va > *vb : *va < *vb) ? -1 : 1;
}

}  // namespace

std::vector<int> TiedAtTheTop(const Scan& scan, const Leaderboard& board) {
  std::vector<int> tied;
  for (int i : board.order) {
    if (!MetricOf(scan.rows[i], board.metric.name)) break;
    if (!tied.empty() && CompareBy(scan, tied.front(), i, board.metric) != 0) break;
    tied.push_back(i);
  }
  std::sort(tied.begin(), tied.end());
  return tied;
}

Leaderboard BuildLeaderboard(const Scan& scan, MetricChoice metric) {
  Leaderboard board;
  board.metric = std::move(metric);
  board.tie_break = TieBreakMetric(board.metric);
  if (scan.plan) {
    board.param_keys = VaryingKeys(scan.plan->rows);
  } else {
    std::vector<json> params;
    for (const auto& row : scan.rows) {
      if (row.result) params.push_back(row.result->params);
    }
    board.param_keys = VaryingKeys(params);
  }
  std::set<std::string> others;
  for (size_t i = 0; i < scan.rows.size(); ++i) {
    const RowRecord& row = scan.rows[i];
    if (row.state != RowState::kSucceeded) continue;
    board.order.push_back(static_cast<int>(i));
    for (const auto& [name, value] : row.result->metrics) {
      if (name != board.metric.name) others.insert(name);
    }
  }
  board.other_metrics.assign(others.begin(), others.end());
  // Indices ascend before the sort and it is stable: the index is the last key.
  std::stable_sort(board.order.begin(), board.order.end(), [&](int a, int b) {
    if (int c = CompareBy(scan, a, b, board.metric); c != 0) return c < 0;
    return board.tie_break && CompareBy(scan, a, b, *board.tie_break) < 0;
  });
  return board;
}

StatusOr<Format> ParseFormat(const std::string& name) {
  if (name == "table") return Format::kTable;
  if (name == "csv") return Format::kCsv;
  if (name == "json") return Format::kJson;
  if (name == "md" || name == "markdown") return Format::kMd;
  return Status::InvalidArgument("--format " + name + ": expected table, csv, json or md");
}

Format FormatForPath(const std::string& path) {
  std::string lower = AsciiLower(path);
  if (EndsWith(lower, ".csv")) return Format::kCsv;
  if (EndsWith(lower, ".json")) return Format::kJson;
  if (EndsWith(lower, ".md") || EndsWith(lower, ".markdown")) return Format::kMd;
  return Format::kTable;
}

std::string ValueText(const json& value) {
  if (value.is_null()) return "";
  if (value.is_string()) return value.get<std::string>();
  if (value.is_array()) {
    std::string out = "[";
    for (size_t i = 0; i < value.size(); ++i) {
      if (i > 0) out += ", ";
      out += value[i].is_string() ? value[i].get<std::string>() : ValueText(value[i]);
    }
    return out + "]";
  }
  return value.dump();
}

std::vector<int> FailedOnBadInput(const Scan& scan) {
  std::vector<int> out;
  for (int i : scan.IndicesIn(RowState::kFailed)) {
    if (IsBadInputExit(scan.rows[i].result->exit_code)) out.push_back(i);
  }
  return out;
}

namespace {

// "    row 3: checkpoint at epoch 5 step 17" for each unfinished row that has one.
std::string RenderCheckpoints(const Scan& scan, const std::vector<int>& unfinished) {
  std::string out;
  for (int i : unfinished) {
    if (const auto& c = scan.rows[i].checkpoint) {
      out += "    row " + std::to_string(i) + ": checkpoint at epoch " + std::to_string(c->epoch) +
             " step " + std::to_string(c->batches_done) + "\n";
    }
  }
  return out;
}

}  // namespace

std::string RenderStatus(const Scan& scan) {
  std::string out = scan.root + ": " + std::to_string(scan.expected) + " rows";
  if (scan.plan) out += " (spec " + scan.plan->source + ")";
  out += "\n";
  const std::vector<int> bad_input = FailedOnBadInput(scan);
  std::vector<int> rerun;
  for (RowState state : {RowState::kSucceeded, RowState::kFailed, RowState::kDiverged,
                         RowState::kUnfinished, RowState::kMissing, RowState::kCorrupt}) {
    std::vector<int> indices = scan.IndicesIn(state);
    char line[64];
    std::snprintf(line, sizeof(line), "  %-11s %6zu", std::string(RowStateName(state)).c_str(),
                  indices.size());
    out += line;
    if (state != RowState::kSucceeded && !indices.empty()) out += "  " + FormatIndexRanges(indices);
    // Finished rows need no rerun; bad input needs a fix first.
    const bool finished = state == RowState::kSucceeded || state == RowState::kDiverged;
    for (int i : indices) {
      if (!finished && !std::binary_search(bad_input.begin(), bad_input.end(), i)) {
        rerun.push_back(i);
      }
    }
    out += "\n";
    if (state == RowState::kMissing) out += RenderLoggedErrors(scan);
    if (state == RowState::kUnfinished) out += RenderCheckpoints(scan, indices);
  }
  std::sort(rerun.begin(), rerun.end());
  if (!bad_input.empty()) out += BadInputHint(bad_input, RerunCommand(scan, "--replan"));
  if (rerun.empty() && bad_input.empty()) {
    out += "nothing to rerun\n";
  } else if (!rerun.empty()) {
    out += "to rerun: " + FormatIndexRanges(rerun) + "  (`" + RerunCommand(scan, "") +
           "` reruns every row that has not finished; unfinished rows may still be running)\n";
  }
  if (!scan.IndicesIn(RowState::kDiverged).empty()) out += std::string(kDivergedNote) + "\n";
  for (const auto& p : scan.problems) out += "problem: " + p + "\n";
  return out;
}

}  // namespace sweep
