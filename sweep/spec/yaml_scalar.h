// YAML 1.2 core-schema resolution of plain scalars, shared by the spec loader (spec.cc, the one
// file that includes yaml-cpp) and the YAML the CLI writes back (rows_yaml.cc). No yaml-cpp here.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace sweep::internal {

// A plain (unquoted, untagged) scalar as the YAML 1.2 core schema resolves it, except that
// "1e-3" (no dot) is a float, as users mean it (PyYAML's 1.1 resolver reads it as a string).
// Only true/false (any case pattern of the core schema) are booleans: "yes"/"no"/"on" stay
// strings. Integers too large for 64 bits become doubles (the magnitude kept).
nlohmann::ordered_json ResolvePlainScalar(const std::string& s);

}  // namespace sweep::internal
