// Rendering of the leaderboard (table, CSV, JSON, markdown) and the collect summary.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "base/strings.h"
#include "storage/layout.h"
#include "sweep/results/leaderboard.h"
#include "sweep/results/selection.h"

namespace sweep {
namespace {

using nlohmann::json;

struct Column {
  std::string name;
  bool numeric = false;
};

// The table as JSON values: one vector per row, one value per column.
struct Grid {
  std::vector<Column> columns;
  std::vector<std::vector<json>> rows;
};

json ParamValue(const Scan& scan, int index, const std::string& key) {
  const RowRecord& row = scan.rows[index];
  if (row.result && row.result->params.is_object() && row.result->params.contains(key)) {
    return row.result->params[key];
  }
  if (scan.plan && index < scan.plan->count() && scan.plan->rows[index].is_object() &&
      scan.plan->rows[index].contains(key)) {
    return scan.plan->rows[index][key];
  }
  return nullptr;
}

json MetricValue(const RowRecord& row, const std::string& name) {
  auto it = row.result->metrics.find(name);
  if (it == row.result->metrics.end() || !std::isfinite(it->second)) return nullptr;
  return it->second;
}

Grid MakeGrid(const Scan& scan, const Leaderboard& board, bool wide, int top) {
  Grid grid;
  const std::set<std::string> fixed = {"rank",    "index", "epochs",
                                       "seconds", "model", board.metric.name};
  grid.columns.push_back({"rank", true});
  grid.columns.push_back({"index", true});
  for (const auto& key : board.param_keys) {
    bool clash = fixed.count(key) > 0 ||
                 std::find(board.other_metrics.begin(), board.other_metrics.end(), key) !=
                     board.other_metrics.end();
    grid.columns.push_back({clash ? "param_" + key : key, false});
  }
  grid.columns.push_back({board.metric.name, true});
  grid.columns.push_back({"epochs", true});
  grid.columns.push_back({"seconds", true});
  if (wide) {
    for (const auto& m : board.other_metrics) grid.columns.push_back({m, true});
    grid.columns.push_back({"model", false});
  }
  size_t n = board.order.size();
  if (top > 0) n = std::min<size_t>(n, top);
  grid.rows.reserve(n);
  for (size_t r = 0; r < n; ++r) {
    int index = board.order[r];
    const RowRecord& row = scan.rows[index];
    std::vector<json> cells;
    cells.reserve(grid.columns.size());
    cells.push_back(r + 1);
    cells.push_back(index);
    for (const auto& key : board.param_keys) cells.push_back(ParamValue(scan, index, key));
    cells.push_back(MetricValue(row, board.metric.name));
    cells.push_back(row.result->epochs);
    cells.push_back(row.result->seconds);
    if (wide) {
      for (const auto& m : board.other_metrics) cells.push_back(MetricValue(row, m));
      cells.push_back(ModelPathOf(scan, index));
    }
    grid.rows.push_back(std::move(cells));
  }
  return grid;
}

std::string RenderCsv(const Grid& grid) {
  std::string out;
  for (size_t c = 0; c < grid.columns.size(); ++c) {
    out += (c ? "," : "") + CsvField(grid.columns[c].name);
  }
  out += "\n";
  for (const auto& row : grid.rows) {
    for (size_t c = 0; c < row.size(); ++c) out += (c ? "," : "") + CsvField(ValueText(row[c]));
    out += "\n";
  }
  return out;
}

std::string RenderJson(const Grid& grid) {
  // Keep the column order in the file (nlohmann sorts object keys): write records by hand.
  std::string text = "[\n";
  for (size_t r = 0; r < grid.rows.size(); ++r) {
    text += "  {";
    for (size_t c = 0; c < grid.columns.size(); ++c) {
      text += (c ? ", " : "") + json(grid.columns[c].name).dump() + ": " +
              grid.rows[r][c].dump(-1, ' ', false, json::error_handler_t::replace);
    }
    text += r + 1 < grid.rows.size() ? "},\n" : "}\n";
  }
  return text + "]\n";
}

std::string HumanCell(const json& v, const Column& col) {
  if (v.is_number_float()) {
    double d = v.get<double>();
    char buf[32];
    if (col.name == "seconds") {
      // Two significant digits under a second: a 0.04 s row is not "0.0".
      std::snprintf(buf, sizeof(buf), d > 0 && d < 0.95 ? "%.2g" : "%.1f", d);
    } else if (d != 0 && std::fabs(d) < 0.01) {
      std::snprintf(buf, sizeof(buf), "%.3g", d);
    } else if (col.numeric) {
      std::snprintf(buf, sizeof(buf), "%.4f", d);
    } else {
      return ValueText(v);
    }
    return buf;
  }
  return v.is_null() ? "-" : ValueText(v);
}

std::string RenderAligned(const Grid& grid, bool markdown) {
  std::vector<std::vector<std::string>> text;
  std::vector<size_t> width(grid.columns.size());
  for (size_t c = 0; c < grid.columns.size(); ++c) width[c] = grid.columns[c].name.size();
  for (const auto& row : grid.rows) {
    std::vector<std::string> cells;
    for (size_t c = 0; c < row.size(); ++c) {
      std::string cell = HumanCell(row[c], grid.columns[c]);
      if (markdown) {
        for (size_t p = 0; (p = cell.find('|', p)) != std::string::npos; p += 2)
          cell.insert(p, "\\");
      }
      width[c] = std::max(width[c], cell.size());
      cells.push_back(std::move(cell));
    }
    text.push_back(std::move(cells));
  }
  auto pad = [&](const std::string& s, size_t c) {
    std::string fill(width[c] - std::min(width[c], s.size()), ' ');
    return grid.columns[c].numeric ? fill + s : s + fill;
  };
  auto line = [&](const std::vector<std::string>& cells) {
    std::string out = markdown ? "|" : "";
    for (size_t c = 0; c < cells.size(); ++c) {
      out += markdown ? " " + pad(cells[c], c) + " |" : (c ? "  " : "") + pad(cells[c], c);
    }
    while (!markdown && !out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::vector<std::string> header;
  for (const auto& col : grid.columns) header.push_back(col.name);
  std::string out = line(header);
  if (markdown) {
    out += "|";
    for (size_t c = 0; c < grid.columns.size(); ++c) {
      std::string dashes(std::max<size_t>(3, width[c]) - 1, '-');
      out += grid.columns[c].numeric ? " " + dashes + ": |" : " :" + dashes + " |";
    }
    out += "\n";
  }
  for (const auto& cells : text) out += line(cells);
  return out;
}

}  // namespace

std::string RenderLeaderboard(const Scan& scan, const Leaderboard& board, Format format, int top) {
  Grid grid = MakeGrid(scan, board, format == Format::kCsv || format == Format::kJson, top);
  switch (format) {
    case Format::kCsv:
      return RenderCsv(grid);
    case Format::kJson:
      return RenderJson(grid);
    case Format::kMd:
      return RenderAligned(grid, true);
    case Format::kTable:
      return RenderAligned(grid, false);
  }
  return "";
}

std::string RenderLoggedErrors(const Scan& scan, size_t max) {
  std::string out;
  size_t shown = 0, more = 0;
  for (size_t i = 0; i < scan.rows.size(); ++i) {
    const auto& logged = scan.rows[i].logged;
    if (!logged) continue;
    if (shown == max) {
      ++more;
      continue;
    }
    ++shown;
    out += "  row " + std::to_string(i) + ": " + logged->message + " (" + logged->path + ")\n";
  }
  if (more > 0) out += "  ... " + std::to_string(more) + " more in the same folder\n";
  return out;
}

namespace {

// "best: index 2 val_accuracy=0.9 (max) model ...", and a line naming a tie at the top.
std::string RenderBest(const Scan& scan, const Leaderboard& board) {
  if (board.order.empty()) return "";
  const int best = board.order.front();
  const json v = MetricValue(scan.rows[best], board.metric.name);
  const std::string value = board.metric.name + "=" + (v.is_null() ? "-" : ValueText(v));
  std::string out = "best: index " + std::to_string(best) + " " + value + " (" +
                    (board.metric.maximize ? "max" : "min") + ") model " + ModelPathOf(scan, best) +
                    "\n";
  const std::vector<int> tied = TiedAtTheTop(scan, board);
  if (tied.size() > 1) {
    out += "tie at the top: rows " + FormatIndexRanges(tied) + " have " + value + "; ranked by " +
           (board.tie_break ? board.tie_break->name + " (" +
                                  (board.tie_break->maximize ? "max" : "min") + "), then index"
                            : std::string("index")) +
           "\n";
  }
  return out;
}

// Each diverged row: where its loss stopped being finite.
std::string RenderDiverged(const Scan& scan, const std::vector<int>& diverged) {
  std::string out;
  for (int i : diverged) {
    const storage::RunResult& r = *scan.rows[i].result;
    out += "diverged: " + std::to_string(i) + ": " +
           (r.error.empty() ? "a loss became NaN or infinite" : r.error) + "\n";
  }
  if (!diverged.empty()) out += std::string(kDivergedNote) + "\n";
  return out;
}

}  // namespace

std::string RenderSummary(const Scan& scan, const Leaderboard& board) {
  std::string out;
  if (!board.metric.note.empty()) out += board.metric.note + "\n";
  std::vector<int> ok = scan.IndicesIn(RowState::kSucceeded);
  std::vector<int> failed = scan.IndicesIn(RowState::kFailed);
  std::vector<int> diverged = scan.IndicesIn(RowState::kDiverged);
  std::vector<int> unfinished = scan.IndicesIn(RowState::kUnfinished);
  std::vector<int> missing = scan.IndicesIn(RowState::kMissing);
  std::vector<int> corrupt = scan.IndicesIn(RowState::kCorrupt);
  const std::vector<int> bad_input = FailedOnBadInput(scan);
  char buf[256];
  std::snprintf(buf, sizeof(buf), "%d rows: %zu succeeded, %zu failed, ", scan.expected, ok.size(),
                failed.size());
  out += buf;
  if (!diverged.empty()) out += std::to_string(diverged.size()) + " diverged, ";
  std::snprintf(buf, sizeof(buf), "%zu unfinished, %zu missing, %zu corrupt\n", unfinished.size(),
                missing.size(), corrupt.size());
  out += buf;
  out += RenderBest(scan, board);
  for (int i : failed) {
    const storage::RunResult& r = *scan.rows[i].result;
    out += "failed: " + std::to_string(i) + " (exit " + std::to_string(r.exit_code) +
           "): " + (r.error.empty() ? "no reason given" : r.error) + "\n";
  }
  out += RenderDiverged(scan, diverged);
  if (!unfinished.empty()) {
    out += "unfinished (a log but no result: running, or stopped before publishing): " +
           FormatIndexRanges(unfinished) + "\n";
  }
  if (!missing.empty()) out += "missing: " + FormatIndexRanges(missing) + "\n";
  out += RenderLoggedErrors(scan);
  for (const auto& p : scan.problems) out += "problem: " + p + "\n";
  if (!bad_input.empty()) out += BadInputHint(bad_input, RerunCommand(scan, "--replan"));
  const size_t transient = failed.size() - bad_input.size();
  if (transient > 0 || !unfinished.empty() || !missing.empty() || !corrupt.empty()) {
    const bool only_failed = unfinished.empty() && missing.empty() && corrupt.empty();
    out += "rerun what is left: " + RerunCommand(scan, only_failed ? "--failed" : "") + "\n";
  }
  return out;
}

std::string ModelPathOf(const Scan& scan, int index) {
  const RowRecord& row = scan.rows[index];
  if (row.result && !row.result->model.empty()) {
    return storage::JoinPath(storage::IndexDir(scan.root, index), row.result->model);
  }
  return storage::ModelPath(scan.root, index);
}

}  // namespace sweep
