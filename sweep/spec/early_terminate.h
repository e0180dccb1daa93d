// W&B's `early_terminate: {type: hyperband, ...}` of a grid or random spec, parsed. The rows run
// as synchronous successive halving (sweep/search/halving.h); this file only reads the keys.
//
//   type: hyperband            the only type W&B has
//   min_iter: 1                first band, in epochs; bands min_iter * eta^k
//   max_iter: 27, s: 2         or: bands floor(max_iter / eta^k), k = s..1
//   eta: 3                     keep the top floor(n / eta) at each band (default 3, >= 2)
//   strict: false              true: rank by the value at the band; false (W&B's default): by
//                              the best value up to the band
//   brackets: 1                (extension, not W&B) Hyperband: this many brackets of
//                              successive halving, each starting at a later band
#pragma once

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace sweep {

struct EarlyTerminate {
  int min_iter = 0;  // > 0 when given
  int max_iter = 0;  // > 0 when given (with s)
  int s = 0;
  int eta = 3;
  bool strict = false;
  int brackets = 1;
};

// Parses the mapping under `early_terminate`. Errors: InvalidArgument naming the key path
// ("early_terminate.eta: expected an integer >= 2").
StatusOr<EarlyTerminate> ParseEarlyTerminate(const nlohmann::ordered_json& doc);

// The mapping back, keys in a fixed order (what sweep.json and `sweep expand` print).
nlohmann::json EarlyTerminateToJson(const EarlyTerminate& et);

}  // namespace sweep
