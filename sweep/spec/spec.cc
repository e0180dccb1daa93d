// Spec parsing: the only file that includes yaml-cpp. YAML becomes JSON here (keys kept in file
// order, scalars typed by the YAML 1.2 core schema); the forms are expanded from that JSON.
#include "sweep/spec/spec.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "base/log.h"
#include "base/strings.h"
#include "storage/layout.h"
#include "storage/store.h"
#include "sweep/spec/row_keys.h"
#include "sweep/spec/spec_wandb.h"

namespace sweep {
namespace {

using ojson = nlohmann::ordered_json;

std::string LinePrefix(const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  return mark.is_null() ? std::string() : "line " + std::to_string(mark.line + 1) + ": ";
}

// A plain (unquoted, untagged) scalar resolved as the YAML 1.2 core schema does, except that
// "1e-3" (no dot) is a float, as users mean it (PyYAML's 1.1 resolver reads it as a string).
// Only true/false (any case pattern of the core schema) are booleans: "yes"/"no"/"on" stay strings.
// Hand-written rather than std::regex: compiling the two regexes took ~0.2 ms of each worker's
// start (std::regex builds its bracket matchers through the locale).
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Skips the digits from s[*i] on; how many there were.
size_t SkipDigits(std::string_view s, size_t* i) {
  size_t begin = *i;
  while (*i < s.size() && IsDigit(s[*i])) ++*i;
  return *i - begin;
}

// [-+]?[0-9]+
bool IsIntText(std::string_view s) {
  size_t i = !s.empty() && (s[0] == '-' || s[0] == '+') ? 1 : 0;
  return SkipDigits(s, &i) > 0 && i == s.size();
}

// [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
bool IsFloatText(std::string_view s) {
  size_t i = !s.empty() && (s[0] == '-' || s[0] == '+') ? 1 : 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (SkipDigits(s, &i) == 0) return false;
  } else {
    if (SkipDigits(s, &i) == 0) return false;
    if (i < s.size() && s[i] == '.') ++i, SkipDigits(s, &i);
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    if (SkipDigits(s, &i) == 0) return false;
  }
  return i == s.size();
}

ojson ResolvePlainScalar(const std::string& s) {
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  if (IsIntText(s)) {
    const char* begin = s.data() + (s[0] == '+' ? 1 : 0);
    const char* end = s.data() + s.size();
    int64_t i;
    if (auto r = std::from_chars(begin, end, i); r.ec == std::errc() && r.ptr == end) return i;
    uint64_t u;
    if (auto r = std::from_chars(begin, end, u); r.ec == std::errc() && r.ptr == end) return u;
    return std::strtod(s.c_str(), nullptr);  // too large for 64 bits: keep the magnitude
  }
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'o')) {
    uint64_t u;
    const char* end = s.data() + s.size();
    auto r = std::from_chars(s.data() + 2, end, u, s[1] == 'x' ? 16 : 8);
    if (r.ec == std::errc() && r.ptr == end) {
      if (u <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
        return static_cast<int64_t>(u);
      return u;
    }
  }
  if (IsFloatText(s)) return std::strtod(s.c_str(), nullptr);
  std::string t = s;
  bool negative = !t.empty() && t[0] == '-';
  if (!t.empty() && (t[0] == '-' || t[0] == '+')) t.erase(0, 1);
  if (t == ".inf" || t == ".Inf" || t == ".INF") {
    return negative ? -std::numeric_limits<double>::infinity()
                    : std::numeric_limits<double>::infinity();
  }
  if (s == ".nan" || s == ".NaN" || s == ".NAN") return std::numeric_limits<double>::quiet_NaN();
  return s;
}

Status ToJson(const YAML::Node& node, ojson* out) {
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      *out = nullptr;
      return Status::Ok();
    case YAML::NodeType::Scalar: {
      const std::string& tag = node.Tag();
      if (tag == "!" || tag == "tag:yaml.org,2002:str")
        *out = node.Scalar();  // quoted / !!str
      else
        *out = ResolvePlainScalar(node.Scalar());
      return Status::Ok();
    }
    case YAML::NodeType::Sequence: {
      *out = ojson::array();
      for (const auto& item : node) {
        ojson v;
        SWEEP_RETURN_IF_ERROR(ToJson(item, &v));
        out->push_back(std::move(v));
      }
      return Status::Ok();
    }
    case YAML::NodeType::Map: {
      *out = ojson::object();
      for (const auto& kv : node) {
        if (!kv.first.IsScalar()) {
          return Status::InvalidArgument(LinePrefix(kv.first) + "keys must be plain names");
        }
        const std::string& key = kv.first.Scalar();
        if (out->contains(key)) {
          return Status::InvalidArgument(LinePrefix(kv.first) + "duplicate key '" + key + "'");
        }
        SWEEP_RETURN_IF_ERROR(ToJson(kv.second, &(*out)[key]));
      }
      return Status::Ok();
    }
  }
  return Status::Internal("unknown YAML node type");
}

// Parses YAML text into JSON; yaml-cpp's exceptions stop here. Messages: "line L, column C: ...".
Status ParseYaml(std::string_view text, YAML::Node* root, ojson* out) {
  try {
    *root = YAML::Load(std::string(text));
    return ToJson(*root, out);
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument("line " + std::to_string(e.mark.line + 1) + ", column " +
                                   std::to_string(e.mark.column + 1) + ": " + e.msg);
  }
}

std::string Describe(const ojson& v) {
  if (v.is_object()) return "a mapping";
  if (v.is_array()) return "a sequence";
  if (v.is_null()) return "nothing";
  return v.dump();
}

// Rows of the list and defaults+runs forms: each entry a mapping, merged over `defaults`.
StatusOr<std::vector<nlohmann::json>> RowsFrom(const YAML::Node& seq, const ojson& rows,
                                               const ojson& defaults) {
  std::vector<nlohmann::json> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (!rows[i].is_object()) {
      return Status::InvalidArgument(LinePrefix(seq[i]) + "row " + std::to_string(i) +
                                     ": expected a mapping of row keys, got " + Describe(rows[i]));
    }
    nlohmann::json row = nlohmann::json(defaults);
    for (const auto& [key, value] : rows[i].items()) row[key] = nlohmann::json(value);
    out.push_back(std::move(row));
  }
  return out;
}

Status ExpandDefaultsRuns(const YAML::Node& root, const ojson& doc, Spec* spec) {
  static const std::vector<std::string> kKeys = {"defaults", "runs", "metric"};
  for (const auto& [key, value] : doc.items()) {
    if (std::find(kKeys.begin(), kKeys.end(), key) == kKeys.end()) {
      return Status::InvalidArgument(LinePrefix(root[key]) + key + ": unknown key" +
                                     DidYouMean(key, kKeys));
    }
  }
  ojson defaults = doc.contains("defaults") ? doc["defaults"] : ojson::object();
  if (defaults.is_null()) defaults = ojson::object();
  if (!defaults.is_object()) {
    return Status::InvalidArgument(LinePrefix(root["defaults"]) + "defaults: expected a mapping");
  }
  if (!doc["runs"].is_array()) {
    return Status::InvalidArgument(LinePrefix(root["runs"]) + "runs: expected a sequence of rows");
  }
  if (doc.contains("metric")) {
    SWEEP_ASSIGN_OR_RETURN(spec->metric, internal::ParseMetric(doc["metric"]));
  }
  spec->form = "defaults+runs";
  SWEEP_ASSIGN_OR_RETURN(spec->rows, RowsFrom(root["runs"], doc["runs"], defaults));
  return Status::Ok();
}

Status Expand(const YAML::Node& root, const ojson& doc, Spec* spec) {
  if (doc.is_array()) {
    spec->form = "list";
    SWEEP_ASSIGN_OR_RETURN(spec->rows, RowsFrom(root, doc, ojson::object()));
    return Status::Ok();
  }
  if (doc.is_object() && doc.contains("runs")) return ExpandDefaultsRuns(root, doc, spec);
  if (doc.is_object() && (doc.contains("method") || doc.contains("parameters"))) {
    SWEEP_ASSIGN_OR_RETURN(internal::WandbPlan plan, internal::ExpandWandb(doc));
    spec->form = plan.form;
    spec->rows = std::move(plan.rows);
    spec->metric = plan.metric;
    spec->warnings = std::move(plan.warnings);
    return Status::Ok();
  }
  return Status::InvalidArgument(
      "expected a sequence of rows, a mapping with 'runs:' (and optional 'defaults:'), or a "
      "W&B sweep with 'method:' and 'parameters:'; got " +
      Describe(doc));
}

}  // namespace

namespace internal {
std::vector<nlohmann::json> DropDuplicateRows(std::vector<nlohmann::json> rows) {
  std::unordered_set<std::string> seen;
  std::vector<nlohmann::json> out;
  for (auto& row : rows) {
    if (seen.insert(row.dump()).second) out.push_back(std::move(row));
  }
  return out;
}

void WarnDuplicateRows(const std::vector<nlohmann::json>& rows,
                       std::vector<std::string>* warnings) {
  std::unordered_map<std::string, size_t> first;
  std::vector<std::string> repeats;
  for (size_t i = 0; i < rows.size(); ++i) {
    auto [it, fresh] = first.emplace(rows[i].dump(), i);
    if (!fresh)
      repeats.push_back("row " + std::to_string(i) + " repeats row " + std::to_string(it->second));
  }
  if (repeats.empty()) return;
  std::string w;
  for (size_t i = 0; i < repeats.size() && i < 5; ++i) w += (i ? ", " : "") + repeats[i];
  if (repeats.size() > 5) w += ", and " + std::to_string(repeats.size() - 5) + " more";
  warnings->push_back(w +
                      ": every row is kept and trained (a row's index is its position, as "
                      "yaml.load(f)[index] reads it)");
}
}  // namespace internal

StatusOr<Spec> ParseSpec(std::string_view yaml_text, const std::string& source,
                         const std::string& base_dir) {
  Spec spec;
  spec.source = source;
  spec.base_dir = base_dir;
  YAML::Node root;
  ojson doc;
  Status s = ParseYaml(yaml_text, &root, &doc);
  if (s.ok()) s = Expand(root, doc, &spec);
  if (!s.ok()) return s.WithContext(source);
  internal::WarnDuplicateRows(spec.rows, &spec.warnings);
  if (spec.rows.empty()) return Status::InvalidArgument(source + ": the spec has no rows");
  return spec;
}

StatusOr<Spec> LoadSpecFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (!std::filesystem::exists(path)) return Status::NotFound(path + ": no such file");
    return Status::InvalidArgument(path + ": cannot read");
  }
  std::stringstream text;
  text << in.rdbuf();
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::absolute(path, ec).parent_path();
  return ParseSpec(text.str(), path, ec ? std::string(".") : dir.string());
}

StatusOr<Spec> LoadSpec(const std::string& path_or_uri, const std::vector<std::string>& sets) {
  SWEEP_ASSIGN_OR_RETURN(std::string local, storage::FetchInput(path_or_uri));
  SWEEP_ASSIGN_OR_RETURN(Spec spec, LoadSpecFile(local));
  if (local != path_or_uri) {
    spec.source = path_or_uri;
    spec.base_dir = path_or_uri.substr(0, path_or_uri.rfind('/'));
  }
  SWEEP_RETURN_IF_ERROR(ApplyOverrides(sets, &spec));
  return spec;
}

std::string ResolveDataPath(const std::string& path, const std::string& base_dir) {
  if (path.empty() || path.rfind("synthetic:", 0) == 0 || storage::IsS3Uri(path) ||
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

void LogSpecWarnings(const Spec& spec) {
  for (const std::string& w : spec.warnings) log::Warn(spec.source + ": " + w);
}

Status ApplyOverrides(const std::vector<std::string>& sets, Spec* spec) {
  for (const std::string& set : sets) {
    const size_t eq = set.find('=');
    std::string key = eq == std::string::npos ? "" : set.substr(0, eq);
    key.erase(0, key.find_first_not_of(" \t"));
    key.erase(key.find_last_not_of(" \t") + 1);
    if (key.empty()) {
      return Status::InvalidArgument("--set " + set + ": expected key=value (e.g. epochs=1)");
    }
    const std::string text = set.substr(eq + 1);
    ojson value;
    YAML::Node unused;
    if (text.find_first_not_of(" \t") == std::string::npos) {
      value = "";  // "key=" sets the empty string (e.g. to clear test_dataset)
    } else if (Status s = ParseYaml(text, &unused, &value); !s.ok()) {
      return s.WithContext("--set " + set);
    }
    for (auto& row : spec->rows) row[key] = nlohmann::json(value);
  }
  if (!sets.empty()) {
    std::erase_if(spec->warnings, [](const std::string& w) {
      return w.find(" repeats row ") != std::string::npos;
    });
    internal::WarnDuplicateRows(spec->rows, &spec->warnings);
  }
  return Status::Ok();
}

namespace {
// FNV-1a 64 of `text`, 16 hex digits.
std::string FnvHex(const std::string& text) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) h = (h ^ c) * 0x100000001b3ULL;
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}
}  // namespace

// Both hash the canonical dump (sorted keys, shortest round-trip numbers).
std::string RowsHash(const std::vector<nlohmann::json>& rows) {
  return FnvHex(nlohmann::json(rows).dump());
}

std::string RowHash(const nlohmann::json& row) { return FnvHex(row.dump()); }

namespace {
bool IsPlainSafe(const std::string& s) {
  static const std::regex kSafe(R"([A-Za-z_][A-Za-z0-9_./-]*)");
  // Also quote YAML 1.1 booleans, so PyYAML readers of our output see strings too.
  static const std::regex kYaml11Bool("y|n|yes|no|on|off", std::regex::icase);
  return std::regex_match(s, kSafe) && ResolvePlainScalar(s).is_string() &&
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
