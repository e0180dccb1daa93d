#include "worker/index.h"

#include <charconv>
#include <cstdlib>
#include <vector>

namespace sweep::worker {
namespace {

constexpr const char* kIndexVars[] = {"AWS_BATCH_JOB_ARRAY_INDEX", "SLURM_ARRAY_TASK_ID",
                                      "JOB_COMPLETION_INDEX", "BATCH_TASK_INDEX", "SWEEP_INDEX"};

std::optional<long> ParseNonNegative(const std::string& s) {
  long v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v < 0 || v > (1L << 30)) return std::nullopt;
  return v;
}

StatusOr<int> ApplyMap(int index, const std::string& map) {
  std::vector<int> rows;
  size_t start = 0;
  while (start <= map.size()) {
    size_t comma = map.find(',', start);
    if (comma == std::string::npos) comma = map.size();
    auto v = ParseNonNegative(map.substr(start, comma - start));
    if (!v) return Status::InvalidArgument("SWEEP_INDEX_MAP: '" + map + "' is not a comma list of indices");
    rows.push_back(static_cast<int>(*v));
    start = comma + 1;
  }
  if (index >= static_cast<int>(rows.size())) {
    return Status::InvalidArgument("index " + std::to_string(index) + " is past the end of SWEEP_INDEX_MAP (" +
                                   std::to_string(rows.size()) + " entries)");
  }
  return rows[index];
}

}  // namespace

EnvFn ProcessEnv() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (v == nullptr || *v == '\0') return std::nullopt;
    return std::string(v);
  };
}

StatusOr<int> ResolveIndex(std::optional<int> flag, const EnvFn& env) {
  int index = -1;
  if (flag) {
    if (*flag < 0) return Status::InvalidArgument("--index must be >= 0");
    index = *flag;
  } else {
    for (const char* var : kIndexVars) {
      auto value = env(var);
      if (!value) continue;
      auto v = ParseNonNegative(*value);
      if (!v) return Status::InvalidArgument(std::string(var) + "='" + *value + "' is not a non-negative integer");
      index = static_cast<int>(*v);
      break;
    }
  }
  if (index < 0) {
    return Status::InvalidArgument(
        "no array index: pass --index N or set AWS_BATCH_JOB_ARRAY_INDEX, SLURM_ARRAY_TASK_ID, "
        "JOB_COMPLETION_INDEX, BATCH_TASK_INDEX or SWEEP_INDEX (a Batch job of size 1 has none: use --index 0)");
  }
  if (auto map = env("SWEEP_INDEX_MAP")) {
    SWEEP_ASSIGN_OR_RETURN(index, ApplyMap(index, *map));
  }
  if (auto offset = env("SWEEP_INDEX_OFFSET")) {
    auto v = ParseNonNegative(*offset);
    if (!v) return Status::InvalidArgument("SWEEP_INDEX_OFFSET='" + *offset + "' is not a non-negative integer");
    index += static_cast<int>(*v);
  }
  return index;
}

int ResolveAttempt(const EnvFn& env) {
  if (auto v = env("AWS_BATCH_JOB_ATTEMPT")) {
    if (auto n = ParseNonNegative(*v); n && *n >= 1) return static_cast<int>(*n);
  }
  if (auto v = env("BATCH_TASK_RETRY_ATTEMPT")) {
    if (auto n = ParseNonNegative(*v)) return static_cast<int>(*n) + 1;
  }
  if (auto v = env("SLURM_RESTART_COUNT")) {
    if (auto n = ParseNonNegative(*v)) return static_cast<int>(*n) + 1;
  }
  return 1;
}

}  // namespace sweep::worker
