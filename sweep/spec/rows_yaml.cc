// RowsToYaml: rows written back as YAML that ParseSpec (and PyYAML) read as the same rows.
#include <cmath>
#include <regex>

#include "sweep/spec/spec.h"
#include "sweep/spec/yaml_scalar.h"

namespace sweep {

namespace {
bool IsPlainSafe(const std::string& s) {
  static const std::regex kSafe(R"([A-Za-z_][A-Za-z0-9_./-]*)");
  // Also quote YAML 1.1 booleans, so PyYAML readers of our output see strings too.
  static const std::regex kYaml11Bool("y|n|yes|no|on|off", std::regex::icase);
  return std::regex_match(s, kSafe) && internal::ResolvePlainScalar(s).is_string() &&
         !std::regex_match(s, kYaml11Bool);
}

void AppendYaml(const nlohmann::json& v, std::string* out) {
  if (v.is_object()) {
    *out += '{';
    bool first = true;
    for (const auto& [key, value] : v.items()) {
      *out += first ? "" : ", ";
      first = false;
      *out += IsPlainSafe(key) ? key : nlohmann::json(key).dump();
      *out += ": ";
      AppendYaml(value, out);
    }
    *out += '}';
  } else if (v.is_array()) {
    *out += '[';
    for (size_t i = 0; i < v.size(); ++i) {
      if (i) *out += ", ";
      AppendYaml(v[i], out);
    }
    *out += ']';
  } else if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    *out += IsPlainSafe(s) ? s : v.dump();  // JSON strings are valid YAML double-quoted scalars
  } else if (v.is_number_float() && !std::isfinite(v.get<double>())) {
    const double d = v.get<double>();
    *out += std::isnan(d) ? ".nan" : (d > 0 ? ".inf" : "-.inf");
  } else {
    *out += v.dump();  // numbers: shortest text that round-trips; floats keep a '.' or 'e'
  }
}
}  // namespace

std::string RowsToYaml(const std::vector<nlohmann::json>& rows) {
  std::string out;
  for (const auto& row : rows) {
    out += "- ";
    AppendYaml(row, &out);
    out += '\n';
  }
  return out;
}

}  // namespace sweep
