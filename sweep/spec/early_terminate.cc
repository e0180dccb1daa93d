#include "sweep/spec/early_terminate.h"

#include <algorithm>
#include <string>
#include <vector>

#include "base/strings.h"

namespace sweep {
namespace {

using ojson = nlohmann::ordered_json;

Status Bad(const std::string& key, const std::string& message) {
  return Status::InvalidArgument("early_terminate" + (key.empty() ? "" : "." + key) + ": " +
                                 message);
}

StatusOr<int> IntAtLeast(const ojson& doc, const char* key, int min) {
  const ojson& v = doc[key];
  if (!v.is_number_integer() || v.get<int64_t>() < min || v.get<int64_t>() > 1000000) {
    return Bad(key,
               "expected an integer in [" + std::to_string(min) + ", 1000000], got " + v.dump());
  }
  return static_cast<int>(v.get<int64_t>());
}

}  // namespace

StatusOr<EarlyTerminate> ParseEarlyTerminate(const ojson& doc) {
  if (!doc.is_object()) return Bad("", "expected a mapping with type: hyperband");
  static const std::vector<std::string> kKeys = {"type", "min_iter", "max_iter", "s",
                                                 "eta",  "strict",   "brackets"};
  for (const auto& [key, unused] : doc.items()) {
    if (std::find(kKeys.begin(), kKeys.end(), key) == kKeys.end()) {
      return Bad(key, "unknown key" + DidYouMean(key, kKeys));
    }
  }
  if (!doc.contains("type") || doc["type"] != "hyperband") {
    return Bad("type", "expected hyperband (the only type W&B has)");
  }
  EarlyTerminate et;
  if (doc.contains("eta")) {
    SWEEP_ASSIGN_OR_RETURN(et.eta, IntAtLeast(doc, "eta", 2));
  }
  if (doc.contains("brackets")) {
    SWEEP_ASSIGN_OR_RETURN(et.brackets, IntAtLeast(doc, "brackets", 1));
  }
  if (doc.contains("strict")) {
    if (!doc["strict"].is_boolean()) return Bad("strict", "expected true or false");
    et.strict = doc["strict"].get<bool>();
  }
  const bool has_min = doc.contains("min_iter"), has_max = doc.contains("max_iter");
  if (has_min == has_max) return Bad("", "give min_iter, or max_iter and s (as in W&B)");
  if (has_min) {
    if (doc.contains("s")) return Bad("s", "goes with max_iter, not min_iter");
    SWEEP_ASSIGN_OR_RETURN(et.min_iter, IntAtLeast(doc, "min_iter", 1));
    return et;
  }
  if (!doc.contains("s")) return Bad("s", "required with max_iter (the number of bands)");
  SWEEP_ASSIGN_OR_RETURN(et.max_iter, IntAtLeast(doc, "max_iter", 1));
  SWEEP_ASSIGN_OR_RETURN(et.s, IntAtLeast(doc, "s", 1));
  return et;
}

nlohmann::json EarlyTerminateToJson(const EarlyTerminate& et) {
  nlohmann::json j = {{"type", "hyperband"}, {"eta", et.eta}, {"strict", et.strict}};
  if (et.min_iter > 0) j["min_iter"] = et.min_iter;
  if (et.max_iter > 0) j["max_iter"] = et.max_iter, j["s"] = et.s;
  if (et.brackets != 1) j["brackets"] = et.brackets;
  return j;
}

}  // namespace sweep
