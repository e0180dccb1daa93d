#include "bench/replay_table.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "base/file.h"

namespace sweep::bench {

using nlohmann::json;

int ReplayRow::Cost(int from, int to) const {
  const int trained = static_cast<int>(val_accuracy.size());
  // A diverged run trains its diverging epoch, then stops.
  const int last = diverged ? std::min(to, trained + 1) : to;
  return std::max(0, last - from);
}

std::string ReplayTable::Key(const json& row) const {
  json values = json::array();
  for (const std::string& k : keys) values.push_back(row.contains(k) ? row[k] : json(nullptr));
  return values.dump();
}

StatusOr<int> ReplayTable::Find(const json& row) const {
  auto it = index_.find(Key(row));
  if (it == index_.end()) return Status::NotFound("no table row with " + Key(row));
  return it->second;
}

namespace {

std::vector<double> Numbers(const json& line, const char* key) {
  std::vector<double> out;
  for (const json& v : line.at(key)) out.push_back(v.is_number() ? v.get<double>() : std::nan(""));
  return out;
}

// The parameters whose values differ between rows, in the first row's key order.
std::vector<std::string> SearchedKeys(const std::vector<ReplayRow>& rows) {
  std::vector<std::string> keys;
  for (const auto& [k, v] : rows[0].params.items()) {
    for (const ReplayRow& r : rows) {
      if (!r.params.contains(k) || r.params[k] != v) {
        keys.push_back(k);
        break;
      }
    }
  }
  return keys;
}

}  // namespace

StatusOr<ReplayTable> ParseReplayTable(const std::string& text) {
  ReplayTable t;
  std::istringstream in(text);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    json doc = json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!doc.is_object()) return Status::Corruption("line " + std::to_string(n) + ": not JSON");
    if (n == 1) {
      if (doc.value("table", "") != "search_table" || doc.value("format_version", 0) != 1) {
        return Status::InvalidArgument("not a search_table of format version 1");
      }
      t.header = std::move(doc);
      continue;
    }
    try {
      ReplayRow r;
      r.params = doc.at("params");
      r.val_accuracy = Numbers(doc, "val_accuracy");
      r.test_accuracy = Numbers(doc, "test_accuracy");
      r.diverged = doc.contains("diverged");
      t.epochs = std::max<int>(t.epochs, r.val_accuracy.size());
      t.rows.push_back(std::move(r));
    } catch (const json::exception& e) {
      return Status::Corruption("line " + std::to_string(n) + ": " + e.what());
    }
  }
  if (t.rows.empty()) return Status::Corruption("no rows");
  t.keys = SearchedKeys(t.rows);
  for (size_t i = 0; i < t.rows.size(); ++i) {
    t.index_.emplace(t.Key(t.rows[i].params), static_cast<int>(i));
    const ReplayRow& r = t.rows[i];
    if (r.Reached(t.epochs)) t.best_test = std::max(t.best_test, r.test_accuracy[t.epochs - 1]);
  }
  return t;
}

StatusOr<ReplayTable> LoadReplayTable(const std::string& path) {
  std::string text;
  SWEEP_RETURN_IF_ERROR(ReadFile(path, &text));
  StatusOr<ReplayTable> t = ParseReplayTable(text);
  if (!t.ok()) return t.status().WithContext(path);
  return t;
}

}  // namespace sweep::bench
