// Internal to sweep/spec*.cc and their tests: the W&B-style sweep form and its PRNG.
// The document arrives as JSON with keys in file order (spec.cc converts the YAML), so this
// file never sees yaml-cpp.
//
// Draw rules (u = Uniform01(), z = Normal(), base/random.h; q defaults to 1; a q-quantised
// value is nearbyint(x / q) * q, an integer when q is an integer or omitted, else a float):
//   constant: value (no draw)            categorical: values[UniformInt(0, n-1)], or with
//   int_uniform: UniformInt(min, max)      probabilities the first i with u < cumsum[i]
//   uniform: min + (max-min) u           q_uniform: quantise(uniform)
//   log_uniform: exp(uniform(min, max))  (min/max are natural-log exponents, as in W&B)
//   log_uniform_values: exp(uniform(ln min, ln max))   q_log_uniform_values: quantise(that)
//   normal: mu + sigma z   q_normal: quantise(normal)   log_normal: exp(normal)
//   q_log_normal: quantise(exp(normal))
// Inferred when `distribution` is omitted: values -> categorical, value -> constant, integer
// min/max -> int_uniform, other min/max -> uniform, mu/sigma -> normal (mu 0, sigma 1).
// spec_wandb.cc and base/random.cc are built with -ffp-contract=off so FMA contraction cannot
// change the rows; exp/log/cos come from libm, so bit-identity assumes the same libm (one
// container image).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/random.h"
#include "base/status.h"
#include "sweep/spec/early_terminate.h"
#include "sweep/spec/search_space.h"
#include "sweep/spec/spec.h"

namespace sweep::internal {

// Random row i of a spec seeded with `seed` draws from RowRng(seed, i): base/random.h's
// xoshiro256** stream i of seed (splitmix64-seeded). Same numbers on every platform.
using RowRng = Xoshiro256Rng;

// W&B's distributions (the names in DistInfo), and one parsed parameter: shared by the expansion
// (spec_wandb.cc) and the Vertex AI study mapping (spec_vertex.cc).
enum class Dist {
  kConstant,
  kCategorical,
  kIntUniform,
  kUniform,
  kQUniform,
  kLogUniform,
  kLogUniformValues,
  kQLogUniformValues,
  kNormal,
  kQNormal,
  kLogNormal,
  kQLogNormal
};

struct DistInfo {
  Dist dist;
  const char* name;
  std::vector<std::string> keys;  // the keys that apply, besides `distribution`
};

struct Param {
  std::string name;
  const DistInfo* info = nullptr;
  nlohmann::json value;                // constant
  std::vector<nlohmann::json> values;  // categorical
  std::vector<double> cumulative;      // categorical with probabilities
  double min = 0, max = 0, mu = 0, sigma = 1, q = 1;
  bool int_q = true;  // q is an integer (or omitted): quantised values are ints
};

// One entry of `parameters:` (its distribution inferred as W&B does when omitted), checked.
// Errors: InvalidArgument naming the key path ("parameters.lr.min: ...").
StatusOr<Param> ParseParam(const std::string& name, const nlohmann::ordered_json& p);

struct WandbPlan {
  std::string form;  // "grid", "random" or "bayes"
  std::vector<nlohmann::json> rows;
  std::optional<MetricGoal> metric;
  std::optional<EarlyTerminate> early_terminate;
  std::optional<BayesSearch> bayes;   // method: bayes
  std::vector<std::string> warnings;  // accepted but ignored keys, for the caller to show
};

// Expands a W&B sweep document (a mapping with `method:` / `parameters:`). Duplicates are not
// dropped here. Errors: InvalidArgument naming the key path ("parameters.lr.min: ...").
StatusOr<WandbPlan> ExpandWandb(const nlohmann::ordered_json& doc);

// Parses `metric: {name, goal}` (shared by every mapping form).
StatusOr<MetricGoal> ParseMetric(const nlohmann::ordered_json& metric);

// Keeps the first of each set of identical rows (compared by canonical JSON text): a W&B grid
// runs each distinct combination once.
std::vector<nlohmann::json> DropDuplicateRows(std::vector<nlohmann::json> rows);

// Adds one warning naming the rows that repeat an earlier one ("row 2 repeats row 0"), if any.
// Lists, defaults+runs and random specs keep every row (W&B's random search runs a repeated
// draw again), so indices stay the rows' positions.
void WarnDuplicateRows(const std::vector<nlohmann::json>& rows, std::vector<std::string>* warnings);

}  // namespace sweep::internal
