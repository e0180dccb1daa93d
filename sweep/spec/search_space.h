// The search space of a `method: bayes` spec, for the TPE planner (sweep/search/tpe.h): each
// parameter as a kind and a range, in file order, plus what the rows share.
//   `method: bayes` takes W&B's value, values, int_uniform, uniform, q_uniform, log_uniform,
//   log_uniform_values and q_log_uniform_values (the normal families have no range: refused),
//   with `run_cap` (rows in all) and `wave_size` (a top-level key, not W&B's: rows proposed at
//   once, default 8). Row i < wave_size is random row i, as `method: random` draws it.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace sweep {

struct SearchParam {
  enum class Kind { kCategorical, kFloat, kInt };
  std::string name;
  Kind kind = Kind::kFloat;
  bool log = false;                    // kFloat: searched in log space (min, max > 0)
  double min = 0, max = 0;             // kFloat, kInt: inclusive
  double q = 0;                        // kFloat: > 0 quantises to multiples of q
  bool int_q = false;                  // q quantised values are integers
  std::vector<nlohmann::json> values;  // kCategorical (a constant: one value)
};

struct BayesSearch {
  int run_cap = 0;
  int wave_size = 8;
  uint64_t seed = 0;
  nlohmann::json base = nlohmann::json::object();  // `defaults`
  std::vector<SearchParam> params;

  int waves() const { return (run_cap + wave_size - 1) / wave_size; }
};

}  // namespace sweep
