// Spec parsing: the only file that includes yaml-cpp. YAML becomes JSON here (keys kept in file
// order, scalars typed by the YAML 1.2 core schema); the forms are expanded from that JSON.
#include "sweep/spec/spec.h"

#include <sys/stat.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
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
#include "sweep/spec/yaml_scalar.h"

namespace sweep {
namespace {

using ojson = nlohmann::ordered_json;

std::string LinePrefix(const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  return mark.is_null() ? std::string() : "line " + std::to_string(mark.line + 1) + ": ";
}

// Bounds on what a spec may expand to: a self-referencing alias (`- &a [*a]`) would recurse
// forever and an alias bomb (each level ten aliases of the one below) multiplies a few hundred
// bytes into billions of values; both end here with a line instead of a crash or an OOM kill.
constexpr int kMaxDepth = 64;
constexpr int64_t kMaxValues = 1000000;
constexpr size_t kMaxKeyLength = 256;
constexpr int64_t kMaxSpecBytes = 16 << 20;

struct Budget {
  int64_t values = 0;  // scalars, sequences and mappings converted so far
};

Status ToJson(const YAML::Node& node, int depth, Budget* budget, ojson* out);

Status MapToJson(const YAML::Node& node, int depth, Budget* budget, ojson* out) {
  *out = ojson::object();
  for (const auto& kv : node) {
    if (!kv.first.IsScalar()) {
      return Status::InvalidArgument(LinePrefix(kv.first) + "keys must be plain names");
    }
    const std::string& key = kv.first.Scalar();
    if (FirstInvalidUtf8(key)) {
      return Status::InvalidArgument(LinePrefix(kv.first) + "a key that is not UTF-8 text");
    }
    if (key.size() > kMaxKeyLength) {
      return Status::InvalidArgument(LinePrefix(kv.first) + "a key of " +
                                     std::to_string(key.size()) + " characters (at most " +
                                     std::to_string(kMaxKeyLength) + ")");
    }
    if (out->contains(key)) {
      return Status::InvalidArgument(LinePrefix(kv.first) + "duplicate key '" + key + "'");
    }
    SWEEP_RETURN_IF_ERROR(ToJson(kv.second, depth + 1, budget, &(*out)[key]));
  }
  return Status::Ok();
}

Status ToJson(const YAML::Node& node, int depth, Budget* budget, ojson* out) {
  if (depth > kMaxDepth) {
    return Status::InvalidArgument(LinePrefix(node) + "nested deeper than " +
                                   std::to_string(kMaxDepth) +
                                   " levels (an alias that refers to itself?)");
  }
  if (++budget->values > kMaxValues) {
    return Status::InvalidArgument(LinePrefix(node) + "more than " + std::to_string(kMaxValues) +
                                   " values once aliases are expanded (an alias bomb?)");
  }
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      *out = nullptr;
      return Status::Ok();
    case YAML::NodeType::Scalar: {
      // The text was UTF-8, but yaml-cpp can still yield other bytes (escapes, control
      // characters in an unclosed quote), and nlohmann::json throws on them when it dumps.
      if (FirstInvalidUtf8(node.Scalar())) {
        return Status::InvalidArgument(LinePrefix(node) + "a value that is not UTF-8 text");
      }
      const std::string& tag = node.Tag();
      if (tag == "!" || tag == "tag:yaml.org,2002:str")
        *out = node.Scalar();  // quoted / !!str
      else
        *out = internal::ResolvePlainScalar(node.Scalar());
      return Status::Ok();
    }
    case YAML::NodeType::Sequence: {
      *out = ojson::array();
      for (const auto& item : node) {
        ojson v;
        SWEEP_RETURN_IF_ERROR(ToJson(item, depth + 1, budget, &v));
        out->push_back(std::move(v));
      }
      return Status::Ok();
    }
    case YAML::NodeType::Map:
      return MapToJson(node, depth, budget, out);
  }
  return Status::Internal("unknown YAML node type");
}

// "line L, column C: " of byte `offset` of `text`.
std::string Position(std::string_view text, size_t offset) {
  const std::string_view before = text.substr(0, offset);
  const size_t line_start = before.rfind('\n');
  const size_t line = std::count(before.begin(), before.end(), '\n') + 1;
  const size_t column = offset - (line_start == std::string_view::npos ? 0 : line_start + 1) + 1;
  return "line " + std::to_string(line) + ", column " + std::to_string(column) + ": ";
}

// The 1-based line where a second document starts: a "---" line at column 0 after content (a
// first "---" before any content only opens the first document), followed by more content.
// 0 when there is none. Found in the text because yaml-cpp's LoadAll loops forever on some
// malformed input (", v" for one: found by tests/fuzz/fuzz_spec).
int SecondDocumentLine(std::string_view text) {
  bool content = false;
  int marker = 0, line = 0;
  for (size_t pos = 0; pos < text.size();) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view l = text.substr(pos, end - pos);
    ++line;
    pos = end + 1;
    const bool is_marker =
        l.substr(0, 3) == "---" && (l.size() == 3 || l[3] == ' ' || l[3] == '\t' || l[3] == '\r');
    const size_t first = l.find_first_not_of(" \t\r");
    const bool blank = first == std::string_view::npos || l[first] == '#';
    if (is_marker) {
      if (content && marker == 0) marker = line;
      if (l.find_first_not_of(" \t\r", 3) != std::string_view::npos && marker > 0) return marker;
    } else if (!blank) {
      if (marker > 0) return marker;
      content = true;
    }
  }
  return 0;
}

// Parses YAML text (one document, UTF-8) into JSON; yaml-cpp's exceptions stop here.
// Messages: "line L, column C: ...".
Status ParseYaml(std::string_view text, YAML::Node* root, ojson* out) {
  // yaml-cpp passes bytes through, and nlohmann::json throws on invalid UTF-8 when it dumps.
  if (std::optional<size_t> bad = FirstInvalidUtf8(text)) {
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(text[*bad]));
    return Status::InvalidArgument(Position(text, *bad) + "byte " + hex +
                                   " is not UTF-8 (save the file as UTF-8)");
  }
  if (int line = SecondDocumentLine(text); line > 0) {
    return Status::InvalidArgument(
        "line " + std::to_string(line) +
        ": a second YAML document (after '---'): a spec is one document");
  }
  try {
    *root = YAML::Load(std::string(text));
    Budget budget;
    return ToJson(*root, 0, &budget, out);
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
    spec->early_terminate = plan.early_terminate;
    spec->bayes = plan.bayes;
    spec->warnings = std::move(plan.warnings);
    spec->wandb = doc;
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
  // A directory, /dev/zero or a FIFO would fail late, read forever or block: regular files only.
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return Status::NotFound(path + ": no such file");
    return Status::InvalidArgument(path + ": cannot read (" + std::strerror(errno) + ")");
  }
  if (!S_ISREG(st.st_mode)) {
    return Status::InvalidArgument(path + ": not a regular file" +
                                   (S_ISDIR(st.st_mode) ? " (a directory)" : ""));
  }
  if (st.st_size > kMaxSpecBytes) {
    return Status::InvalidArgument(path + ": " + std::to_string(st.st_size) +
                                   " bytes; a spec may have at most " +
                                   std::to_string(kMaxSpecBytes) + " (16 MiB)");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::InvalidArgument(path + ": cannot read");
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

void LogSpecWarnings(const Spec& spec) {
  for (const std::string& w : spec.warnings) log::Warn(spec.source + ": " + w);
}

Status ApplyOverrides(const std::vector<std::string>& sets, Spec* spec) {
  for (const std::string& set : sets) {
    if (std::optional<size_t> bad = FirstInvalidUtf8(set)) {
      return Status::InvalidArgument("--set: byte " + std::to_string(*bad) +
                                     " of the argument is not UTF-8");
    }
    const size_t eq = set.find('=');
    std::string key = eq == std::string::npos ? "" : set.substr(0, eq);
    key.erase(0, key.find_first_not_of(" \t"));
    key.erase(key.find_last_not_of(" \t") + 1);
    if (key.empty()) {
      return Status::InvalidArgument("--set " + set + ": expected key=value (e.g. epochs=1)");
    }
    if (key.size() > kMaxKeyLength) {
      return Status::InvalidArgument("--set: a key of " + std::to_string(key.size()) +
                                     " characters (at most " + std::to_string(kMaxKeyLength) + ")");
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

}  // namespace sweep
