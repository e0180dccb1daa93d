// The spec's inputs: data paths resolved against the spec's folder, and every distinct input
// probed before anything starts.
#include <algorithm>
#include <map>
#include <tuple>

#include "storage/layout.h"
#include "storage/store.h"
#include "sweep/spec/row_keys.h"
#include "sweep/spec/spec.h"

namespace sweep {

std::string ResolveDataPath(const std::string& path, const std::string& base_dir) {
  if (path.empty() || path.rfind("synthetic:", 0) == 0 || storage::IsRemoteUri(path) ||
      path[0] == '/') {
    return path;
  }
  return storage::JoinPath(base_dir, path);
}

namespace {

// "0-2, 5" for rows 0, 1, 2, 5.
std::string RowRanges(const std::vector<size_t>& rows) {
  std::string out;
  for (size_t i = 0; i < rows.size();) {
    size_t j = i;
    while (j + 1 < rows.size() && rows[j + 1] == rows[j] + 1) ++j;
    out += (out.empty() ? "" : ", ") + std::to_string(rows[i]) +
           (j > i ? "-" + std::to_string(rows[j]) : "");
    i = j + 1;
  }
  return out;
}

// The row's skip_rows as ConfigFromRow reads it; 0 when absent or bad (ValidateRows says so).
int SkipRowsOf(const nlohmann::json& row) {
  auto it = row.find("skip_rows");
  model::TrainConfig config;
  if (it == row.end() || !FindRowKey("skip_rows")->set("skip_rows", *it, &config).ok()) return 0;
  return std::max(config.data.skip_rows, 0);
}

}  // namespace

std::vector<std::string> CheckInputs(const Spec& spec) {
  // (key, path, skip_rows) -> rows
  std::map<std::tuple<std::string, std::string, int>, std::vector<size_t>> uses;
  for (size_t i = 0; i < spec.rows.size(); ++i) {
    for (const char* key : {"dataset", "test_dataset"}) {
      auto it = spec.rows[i].find(key);
      if (it == spec.rows[i].end() || !it->is_string() || it->get<std::string>().empty()) continue;
      const std::string path = ResolveDataPath(it->get<std::string>(), spec.base_dir);
      uses[{key, path, SkipRowsOf(spec.rows[i])}].push_back(i);
    }
  }
  std::vector<std::string> problems;
  for (const auto& [use, rows] : uses) {
    const auto& [key, path, skip_rows] = use;
    Status s = storage::ProbeInput(path, skip_rows);
    if (s.ok()) continue;
    std::string message = s.message();
    if (message.rfind(path, 0) != 0) message = path + ": " + message;
    problems.push_back(key + " of row" + (rows.size() > 1 ? "s " : " ") + RowRanges(rows) + ": " +
                       message);
  }
  return problems;
}

}  // namespace sweep
