// What the row-key table says about itself: range checks and their text, defaults, and the
// README table (`sweep keys`).
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "base/strings.h"
#include "sweep/spec/row_keys.h"

namespace sweep {
namespace {

// As model::Validate prints numbers, so messages read the same wherever they come from.
std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

std::string RuleText(const Range& r) {
  std::string s;
  if (std::isinf(r.hi)) {
    s = (r.lo_open ? "> " : ">= ") + Num(r.lo);
  } else {
    s = std::string("in ") + (r.lo_open ? "(" : "[") + Num(r.lo) + ", " + Num(r.hi) +
        (r.hi_open ? ")" : "]");
  }
  return s + std::string(r.note);
}

// Written so that NaN fails.
bool InRange(const Range& r, double v) {
  const bool lo_ok = r.lo_open ? v > r.lo : v >= r.lo;
  const bool hi_ok = r.hi_open ? v < r.hi : v <= r.hi;
  return lo_ok && hi_ok;
}

// "relu, tanh" -> "`relu`, `tanh`".
std::string Backticked(const std::string& choices) {
  std::string out = "`";
  for (size_t i = 0; i < choices.size(); ++i) {
    if (choices.compare(i, 2, ", ") == 0) {
      out += "`, `";
      ++i;
    } else {
      out += choices[i];
    }
  }
  return out + "`";
}

std::string WithoutBackticks(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c != '`') out += c;
  }
  return out;
}

// A cell of the Markdown table: the text, or "" when there is none.
std::string Cell(const std::string& text, bool code) {
  return text.empty() || !code ? text : "`" + text + "`";
}

}  // namespace

std::vector<std::string> RangeProblems(const model::TrainConfig& config) {
  std::vector<std::string> problems;
  for (const RowKey& k : AllRowKeys()) {
    if (k.values == nullptr) continue;
    const std::vector<double> values = k.values(config);
    for (size_t i = 0; i < values.size(); ++i) {
      if (InRange(k.range, values[i])) continue;
      std::string key(k.name);
      if (k.type == KeyType::kIntegers) key += "[" + std::to_string(i) + "]";
      problems.push_back(key + " must be " + RuleText(k.range) + ", got " + Num(values[i]));
      break;  // one message per key: the first width out of range names the problem
    }
  }
  return problems;
}

Status CheckRanges(const model::TrainConfig& config) {
  const std::vector<std::string> problems = RangeProblems(config);
  if (problems.empty()) return Status::Ok();
  return Status::InvalidArgument(StrJoin(problems, "; "));
}

std::string_view TypeName(KeyType type) {
  switch (type) {
    case KeyType::kString:
      return "string";
    case KeyType::kInteger:
      return "integer";
    case KeyType::kNumber:
      return "number";
    case KeyType::kBool:
      return "true/false";
    case KeyType::kChoice:
      return "choice";
    case KeyType::kIntegers:
      return "integer list";
  }
  return "?";
}

std::string RangeText(const RowKey& key) {
  if (key.choices != nullptr) return key.choices();
  if (key.values == nullptr) return "";
  return (key.type == KeyType::kIntegers ? "each " : "") + RuleText(key.range);
}

std::string DefaultText(const RowKey& key) {
  if (!key.default_text.empty()) return std::string(key.default_text);
  const nlohmann::json v = key.get(model::TrainConfig{});
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_float()) {  // 0, not 0.0: the value as a person writes it
    char buf[32];
    auto r = std::to_chars(buf, buf + sizeof buf, v.get<double>());
    return std::string(buf, r.ptr);
  }
  return v.dump();
}

std::string RowKeysMarkdown() {
  std::string out = "| key | type | default | range | meaning |\n|---|---|---|---|---|\n";
  for (const RowKey& k : AllRowKeys()) {
    const std::string range = RangeText(k);
    out += "| `" + std::string(k.name) + "` | " + std::string(TypeName(k.type)) + " | " +
           Cell(DefaultText(k), k.default_text.empty()) + " | " +
           (k.choices != nullptr ? Backticked(range) : range) + " | " + std::string(k.doc) + " |\n";
  }
  return out;
}

std::string RowKeysText() {
  std::vector<std::vector<std::string>> rows = {{"KEY", "TYPE", "DEFAULT", "RANGE", "MEANING"}};
  for (const RowKey& k : AllRowKeys()) {
    rows.push_back({std::string(k.name), std::string(TypeName(k.type)), DefaultText(k),
                    RangeText(k), WithoutBackticks(k.doc)});
  }
  std::vector<size_t> width(rows[0].size() - 1, 0);
  for (const auto& row : rows) {
    for (size_t i = 0; i < width.size(); ++i) width[i] = std::max(width[i], row[i].size());
  }
  std::string out;
  for (const auto& row : rows) {
    for (size_t i = 0; i < width.size(); ++i) {
      out += row[i] + std::string(width[i] + 2 - row[i].size(), ' ');
    }
    out += row.back() + "\n";
  }
  return out;
}

}  // namespace sweep
