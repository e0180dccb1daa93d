// Internal to sweep/spec*.cc and their tests: the W&B-style sweep form and its PRNG.
// The document arrives as JSON with keys in file order (spec.cc converts the YAML), so this
// file never sees yaml-cpp.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "sweep/spec.h"

namespace sweep::internal {

// Portable PRNG for random rows: xoshiro256** whose state is four splitmix64 outputs started
// from Mix(Mix(seed) ^ row). Mix is the splitmix64 finaliser. Same numbers on every platform.
class RowRng {
 public:
  RowRng(uint64_t seed, uint64_t row);
  uint64_t Next();
  double Uniform01();                              // [0, 1), 53 random bits
  int64_t IntInclusive(int64_t lo, int64_t hi);    // unbiased (rejection), lo <= hi
  double Normal();                                 // Box-Muller, cosine branch; 2 draws

 private:
  uint64_t s_[4];
};

struct WandbPlan {
  std::string form;  // "grid" or "random"
  std::vector<nlohmann::json> rows;
  std::optional<MetricGoal> metric;
};

// Expands a W&B sweep document (a mapping with `method:` / `parameters:`). Duplicates are not
// dropped here. Errors: InvalidArgument naming the key path ("parameters.lr.min: ...").
StatusOr<WandbPlan> ExpandWandb(const nlohmann::ordered_json& doc);

// Parses `metric: {name, goal}` (shared by every mapping form).
StatusOr<MetricGoal> ParseMetric(const nlohmann::ordered_json& metric);

// Keeps the first of each set of identical rows (compared by canonical JSON text).
std::vector<nlohmann::json> DropDuplicateRows(std::vector<nlohmann::json> rows);

}  // namespace sweep::internal
