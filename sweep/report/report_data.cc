#include "sweep/report/report_data.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>

#include "base/strings.h"
#include "sweep/report/importance.h"

namespace sweep::report {
namespace {

using nlohmann::json;

// Writes JSON text directly: numbers rounded to a few significant digits keep a 10,000-row
// report small, which nlohmann's shortest-round-trip output would not.
class Writer {
 public:
  std::string& out() { return out_; }
  void Num(double v, int digits) {
    Sep();
    if (!std::isfinite(v)) {
      out_ += "null";
      return;
    }
    char buf[40];
    std::snprintf(buf, sizeof(buf), "%.*g", digits, v);
    out_ += buf;
  }
  void Num(const std::optional<double>& v, int digits) { v ? Num(*v, digits) : Null(); }
  void Null() {
    Sep();
    out_ += "null";
  }
  void Int(long long v) {
    Sep();
    out_ += std::to_string(v);
  }
  void Str(const std::string& s) { Json(json(s)); }
  void Json(const json& j) {
    Sep();
    out_ += j.dump(-1, ' ', false, json::error_handler_t::replace);
  }
  void Key(const char* k) {
    Sep();
    out_ += '"';
    out_ += k;
    out_ += "\":";
    after_key_ = true;
  }
  void Open(char c) {
    Sep();
    out_ += c;
    first_ = true;
  }
  void Close(char c) {
    out_ += c;
    first_ = false;
  }

 private:
  // A comma before every value but the first of its container and those following a key.
  void Sep() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (!first_) out_ += ',';
    first_ = false;
  }
  std::string out_;
  bool first_ = true;
  bool after_key_ = false;
};

const json* Lookup(const json& params, const std::string& key) {
  if (!params.is_object()) return nullptr;
  auto it = params.find(key);
  return it == params.end() ? nullptr : &*it;
}

// The index of a choice's label in its column; -1 when absent (cannot happen for rows the
// column was built from).
int ChoiceOf(const ParamColumn& col, const json& v) {
  const std::string text = ValueText(v);
  for (size_t c = 0; c < col.labels.size(); ++c) {
    if (col.labels[c] == text) return static_cast<int>(c);
  }
  return -1;
}

void WriteParamValue(const ParamColumn& col, const json* v, Writer& w) {
  if (v == nullptr || v->is_null() || (col.numeric && !v->is_number())) {
    w.Null();
  } else if (col.numeric) {
    w.Num(v->get<double>(), 6);
  } else if (int c = ChoiceOf(col, *v); c >= 0) {
    w.Int(c);
  } else {
    w.Null();
  }
}

// One history series as [v, v, ...] over the kept points.
void WriteSeries(const json& history, const std::vector<size_t>& keep, const std::string& name,
                 Writer& w) {
  w.Open('[');
  for (size_t k : keep) {
    const json* v = Lookup(history[k], name);
    if (v != nullptr && v->is_number()) {
      w.Num(v->get<double>(), 4);
    } else {
      w.Null();
    }
  }
  w.Close(']');
}

void WriteHistory(const json& history, const std::vector<std::string>& series, Writer& w) {
  if (!history.is_array() || history.empty()) return;
  const std::vector<size_t> keep = ThinPoints(history.size());
  w.Key("h");
  w.Open('[');
  for (const auto& name : series) WriteSeries(history, keep, name, w);
  w.Close(']');
  if (keep.size() == history.size()) return;
  w.Key("x");
  w.Open('[');
  for (size_t k : keep) {
    const json* e = Lookup(history[k], "epoch");
    w.Int(e != nullptr && e->is_number() ? e->get<long long>() : static_cast<long long>(k + 1));
  }
  w.Close(']');
}

const char* StateCode(RowState s) {
  return s == RowState::kSucceeded ? "s" : s == RowState::kDiverged ? "d" : "f";
}

void WriteRow(int index, const RowRecord& row, const json& params,
              const std::vector<ParamColumn>& cols, const Leaderboard& board,
              const std::vector<std::string>& series, Writer& w) {
  const storage::RunResult& r = *row.result;
  w.Open('{');
  w.Key("i");
  w.Int(index);
  w.Key("s");
  w.Str(StateCode(row.state));
  w.Key("p");
  w.Open('[');
  for (const auto& col : cols) WriteParamValue(col, Lookup(params, col.key), w);
  w.Close(']');
  w.Key("m");
  w.Num(MetricOf(row, board.metric.name), 6);
  w.Key("e");
  w.Int(r.epochs);
  w.Key("t");
  w.Num(r.seconds, 4);
  WriteHistory(r.history, series, w);
  if (!r.error.empty()) {
    w.Key("err");
    w.Str(r.error + (r.exit_code != 0 ? " (exit " + std::to_string(r.exit_code) + ")" : ""));
  }
  w.Close('}');
}

void WriteImportance(const Scan& scan, const Leaderboard& board,
                     const std::vector<ParamColumn>& cols, Writer& w) {
  w.Key("imp");
  w.Open('[');
  for (const auto& col : cols) {
    std::vector<double> x, y;
    std::vector<int> groups;
    for (int i : board.order) {
      std::optional<double> m = MetricOf(scan.rows[i], board.metric.name);
      const json* v = Lookup(scan.rows[i].result->params, col.key);
      if (!m || v == nullptr || v->is_null() || (col.numeric && !v->is_number())) continue;
      y.push_back(*m);
      if (col.numeric) {
        x.push_back(v->get<double>());
      } else {
        groups.push_back(std::max(0, ChoiceOf(col, *v)));
      }
    }
    if (col.numeric) groups = NumericGroups(x);
    std::optional<double> rho = col.numeric ? SpearmanRho(x, y) : std::nullopt;
    std::optional<double> eta = MainEffectShare(groups, y);
    w.Open('{');
    w.Key("k");
    w.Str(col.key);
    w.Key("rho");
    w.Num(rho, 3);
    w.Key("eta");
    w.Num(eta, 3);
    w.Key("n");
    w.Int(static_cast<long long>(y.size()));
    w.Close('}');
  }
  w.Close(']');
}

void WriteBest(const Scan& scan, const Leaderboard& board, Writer& w) {
  w.Key("best");
  if (board.order.empty() || !MetricOf(scan.rows[board.order[0]], board.metric.name)) {
    w.Null();
    return;
  }
  const int index = board.order[0];
  const storage::RunResult& r = *scan.rows[index].result;
  json metrics = json::object();
  for (const auto& [name, value] : r.metrics) metrics[name] = std::isfinite(value) ? value : 0.0;
  w.Json({{"i", index},
          {"params", r.params},
          {"metrics", metrics},
          {"model", ModelPathOf(scan, index)}});
}

void WriteSummary(const Scan& scan, Writer& w) {
  w.Key("counts");
  w.Open('{');
  for (RowState s : {RowState::kSucceeded, RowState::kFailed, RowState::kDiverged,
                     RowState::kUnfinished, RowState::kMissing, RowState::kCorrupt}) {
    w.Key(std::string(RowStateName(s)).c_str());
    w.Int(static_cast<long long>(scan.IndicesIn(s).size()));
  }
  w.Close('}');
  w.Key("unfinished");
  w.Str(FormatIndexRanges(scan.IndicesIn(RowState::kUnfinished)));
  w.Key("missing");
  w.Str(FormatIndexRanges(scan.IndicesIn(RowState::kMissing)));
  double seconds = 0;
  long long epochs = 0;
  for (const auto& row : scan.rows) {
    if (!row.result) continue;
    seconds += row.result->seconds;
    epochs += row.result->epochs;
  }
  w.Key("seconds");
  w.Num(seconds, 6);
  w.Key("epochs");
  w.Int(epochs);
}

}  // namespace

std::vector<ParamColumn> ParamColumns(const std::vector<std::string>& keys,
                                      const std::vector<json>& rows) {
  std::vector<ParamColumn> cols;
  for (const auto& key : keys) {
    ParamColumn col;
    col.key = key;
    double lo = INFINITY, hi = -INFINITY;
    std::map<std::string, bool> seen;
    for (const auto& row : rows) {
      const json* v = Lookup(row, key);
      if (v == nullptr || v->is_null()) continue;
      if (v->is_number()) {
        lo = std::min(lo, v->get<double>());
        hi = std::max(hi, v->get<double>());
      } else {
        col.numeric = false;
      }
      const std::string text = ValueText(*v);
      if (seen.emplace(text, true).second) col.labels.push_back(text);
    }
    if (col.numeric) col.labels.clear();
    col.log = col.numeric && lo > 0 && hi / lo >= kLogRatio;
    cols.push_back(std::move(col));
  }
  return cols;
}

std::vector<std::string> CurveSeries(const std::string& metric) {
  const size_t underscore = metric.find('_');
  if (underscore == std::string::npos || underscore == 0) return {metric, metric};
  const std::string base = metric.substr(underscore + 1);
  return {"train_" + base, "val_" + base};
}

std::vector<size_t> ThinPoints(size_t n, size_t max) {
  std::vector<size_t> keep;
  if (n <= max || max < 2) {
    for (size_t i = 0; i < n; ++i) keep.push_back(i);
    return keep;
  }
  for (size_t k = 0; k < max; ++k) keep.push_back((k * (n - 1) + (max - 1) / 2) / (max - 1));
  return keep;
}

std::string ReportDataJson(const Scan& scan, const Leaderboard& board) {
  // The values drawn are those a row ran with (its result's resolved params, e.g. the default
  // optimizer a plan row leaves out), else the plan's, for rows without a result.
  // A row that stopped on bad input has no resolved params: its plan row stands in.
  std::vector<json> params(scan.rows.size());
  for (size_t i = 0; i < scan.rows.size(); ++i) {
    const RowRecord& row = scan.rows[i];
    if (row.result && row.result->params.is_object() && !row.result->params.empty()) {
      params[i] = row.result->params;
    } else if (scan.plan && i < scan.plan->rows.size()) {
      params[i] = scan.plan->rows[i];
    }
  }
  const std::vector<ParamColumn> cols = ParamColumns(board.param_keys, params);
  const std::vector<std::string> series = CurveSeries(board.metric.name);
  Writer w;
  w.Open('{');
  w.Key("v");
  w.Int(kReportDataVersion);
  w.Key("root");
  w.Str(scan.root);
  w.Key("expected");
  w.Int(scan.expected);
  w.Key("metric");
  w.Json({{"n", board.metric.name}, {"max", board.metric.maximize}, {"note", board.metric.note}});
  w.Key("curve");
  w.Json(series);
  WriteSummary(scan, w);
  w.Key("params");
  w.Open('[');
  for (const auto& col : cols) {
    json c = {{"k", col.key}, {"t", col.numeric ? "n" : "c"}};
    if (col.numeric) c["log"] = col.log;
    if (!col.numeric) c["c"] = col.labels;
    w.Json(c);
  }
  w.Close(']');
  w.Key("rows");
  w.Open('[');
  for (size_t i = 0; i < scan.rows.size(); ++i) {
    if (scan.rows[i].result) {
      WriteRow(static_cast<int>(i), scan.rows[i], params[i], cols, board, series, w);
    }
  }
  w.Close(']');
  w.Key("rank");
  w.Json(board.order);
  WriteBest(scan, board, w);
  WriteImportance(scan, board, cols, w);
  w.Key("problems");
  w.Json(scan.problems);
  w.Close('}');
  return std::move(w.out());
}

}  // namespace sweep::report
