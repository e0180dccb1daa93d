#include "worker/index.h"

#include <fmt/format.h>

#include <cstdint>
#include <cstdlib>

#include "base/strings.h"
#include "sweep/spec/array_plan.h"

namespace sweep::worker {
namespace {

constexpr const char* kIndexVars[] = {"AWS_BATCH_JOB_ARRAY_INDEX", "SLURM_ARRAY_TASK_ID",
                                      "JOB_COMPLETION_INDEX", "BATCH_TASK_INDEX", "SWEEP_INDEX"};

// Engine indices and retry counts: whole non-negative decimals up to 2^30.
std::optional<int> ParseCount(const std::string& s) {
  std::optional<int64_t> v = ParseInt(s, 0, int64_t{1} << 30);
  if (!v) return std::nullopt;
  return static_cast<int>(*v);
}

}  // namespace

EnvFn ProcessEnv() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (v == nullptr || *v == '\0') return std::nullopt;
    return std::string(v);
  };
}

namespace {

// The engine's index: the flag, else the first index variable set.
StatusOr<int> EngineIndex(std::optional<int> flag, const EnvFn& env) {
  int index = -1;
  if (flag) {
    if (*flag < 0) return Status::InvalidArgument("--index must be >= 0");
    index = *flag;
  } else {
    for (const char* var : kIndexVars) {
      auto value = env(var);
      if (!value) continue;
      auto v = ParseCount(*value);
      if (!v)
        return Status::InvalidArgument(std::string(var) + "='" + *value +
                                       "' is not a non-negative integer");
      index = static_cast<int>(*v);
      break;
    }
  }
  if (index < 0) {
    return Status::InvalidArgument(
        "no array index: pass --index N or set AWS_BATCH_JOB_ARRAY_INDEX, SLURM_ARRAY_TASK_ID, "
        "JOB_COMPLETION_INDEX, BATCH_TASK_INDEX or SWEEP_INDEX (a Batch job of size 1 has none: "
        "use --index 0)");
  }
  return index;
}

}  // namespace

StatusOr<int> ResolveIndex(std::optional<int> flag, const EnvFn& env) {
  SWEEP_ASSIGN_OR_RETURN(int index, EngineIndex(flag, env));
  // The mapping `sweep submit` planned the parts with (sweep/spec/array_plan).
  return RowForIndex(index, env("SWEEP_INDEX_MAP"), env("SWEEP_INDEX_OFFSET"));
}

StatusOr<std::vector<int>> ResolvePackIndices(std::optional<int> flag, const EnvFn& env, int pack) {
  if (pack < 1 || pack > kMaxPack) {
    return Status::InvalidArgument(fmt::format("pack {}: expected 1..{}", pack, kMaxPack));
  }
  SWEEP_ASSIGN_OR_RETURN(int index, EngineIndex(flag, env));
  if (int64_t{index} * pack + pack > int64_t{1} << 30) {
    return Status::InvalidArgument(fmt::format("index {} x pack {} is past 2^30", index, pack));
  }
  std::optional<int> count;  // the part's rows (`sweep submit` sets it for packed parts)
  if (auto v = env("SWEEP_INDEX_COUNT")) {
    count = ParseCount(*v);
    if (!count || *count < 1) {
      return Status::InvalidArgument("SWEEP_INDEX_COUNT='" + *v + "' is not a positive integer");
    }
  }
  SWEEP_ASSIGN_OR_RETURN(RowMapping mapping,
                         ParseRowMapping(env("SWEEP_INDEX_MAP"), env("SWEEP_INDEX_OFFSET")));
  std::vector<int> rows;
  for (int j = 0; j < pack; ++j) {
    const int slot = index * pack + j;
    if (count && slot >= *count) {
      if (j > 0) break;  // the part's last pack is short
      return Status::InvalidArgument(
          fmt::format("array index {} (pack {}) is past the end of its part: SWEEP_INDEX_COUNT={}",
                      index, pack, *count));
    }
    // The map's last pack may be short.
    if (j > 0 && mapping.map && slot >= static_cast<int>(mapping.map->size())) break;
    StatusOr<int> row = mapping.RowOf(slot);
    SWEEP_RETURN_IF_ERROR(row.status());
    rows.push_back(*row);
  }
  return rows;
}

int ResolveAttempt(const EnvFn& env) {
  if (auto v = env("AWS_BATCH_JOB_ATTEMPT")) {
    if (auto n = ParseCount(*v); n && *n >= 1) return static_cast<int>(*n);
  }
  if (auto v = env("BATCH_TASK_RETRY_ATTEMPT")) {
    if (auto n = ParseCount(*v)) return static_cast<int>(*n) + 1;
  }
  if (auto v = env("SLURM_RESTART_COUNT")) {
    if (auto n = ParseCount(*v)) return static_cast<int>(*n) + 1;
  }
  return 1;
}

}  // namespace sweep::worker
