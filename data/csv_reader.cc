// ParseCsv (declared in dataset_reader.h): numbers separated by commas, label last.
#include <charconv>
#include <cmath>
#include <string_view>

#include "data/dataset_reader.h"

namespace sweep::data {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  return s;
}

bool ParseNumber(std::string_view s, float* out) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty()) return false;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && end == s.data() + s.size() && std::isfinite(*out);
}

// Splits one line into `fields` (reusing its storage).
void SplitLine(std::string_view line, std::vector<std::string_view>* fields) {
  fields->clear();
  size_t start = 0;
  for (;;) {
    size_t comma = line.find(',', start);
    fields->push_back(Trim(line.substr(start, comma - start)));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
}

// A first data line with no number at all is a header ("a,b,label"): skip it.
bool IsHeader(const std::vector<std::string_view>& fields) {
  float v;
  for (auto f : fields) {
    if (ParseNumber(f, &v)) return false;
  }
  return true;
}

class CsvParser {
 public:
  CsvParser(const std::string& name, TargetKind kind) : name_(name), kind_(kind) {}

  Status Line(std::string_view line, int64_t line_no) {
    SplitLine(line, &fields_);
    if (data_.rows == 0 && expected_ == 0) {
      if (IsHeader(fields_)) return Status::Ok();
      if (fields_.size() < 2) return Error(line_no, "need at least one feature and a label");
      expected_ = fields_.size();
      data_.cols = static_cast<int>(expected_ - 1);
    }
    if (fields_.size() != expected_) {
      return Error(line_no, "expected " + std::to_string(expected_) + " fields, got " +
                                std::to_string(fields_.size()));
    }
    float v = 0;
    for (size_t i = 0; i < fields_.size(); ++i) {
      if (!ParseNumber(fields_[i], &v)) {
        return Error(line_no, "field " + std::to_string(i + 1) + ": '" + std::string(fields_[i]) +
                                  "' is not a number");
      }
      if (i + 1 < fields_.size()) {
        data_.x.push_back(v);
      } else if (kind_ == TargetKind::kClassLabels && (v < 0 || v != std::floor(v))) {
        return Error(line_no, "label '" + std::string(fields_[i]) +
                                  "' is not a class index (an integer >= 0)");
      } else {
        data_.y.push_back(v);
      }
    }
    ++data_.rows;
    return Status::Ok();
  }

  StatusOr<Dataset> Finish() {
    if (data_.rows == 0) return Status::InvalidArgument(name_ + ": no data rows");
    data_.source = name_;
    return std::move(data_);
  }

 private:
  Status Error(int64_t line_no, const std::string& what) const {
    return Status::InvalidArgument(name_ + ": line " + std::to_string(line_no) + ": " + what);
  }

  std::string name_;
  TargetKind kind_;
  size_t expected_ = 0;
  std::vector<std::string_view> fields_;
  Dataset data_;
};

}  // namespace

StatusOr<Dataset> ParseCsv(const std::string& text, const std::string& name, TargetKind kind) {
  CsvParser parser(name, kind);
  std::string_view rest(text);
  int64_t line_no = 0;
  while (!rest.empty()) {
    size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    ++line_no;
    std::string_view trimmed = Trim(line);
    if (trimmed.empty() || trimmed.front() == '#') continue;
    SWEEP_RETURN_IF_ERROR(parser.Line(line, line_no));
  }
  return parser.Finish();
}

}  // namespace sweep::data
