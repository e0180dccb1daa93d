// ParseCsv and ParsePredictCsv (declared in dataset_reader.h): numbers separated by commas, the
// label last (a number or, for class labels, a name).
#include <charconv>
#include <cmath>
#include <string_view>

#include "data/class_names.h"
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

// How the columns are read: for training (the label last, required) or for prediction with a
// model of `features` inputs (the label column optional, named labels mapped by its classes).
struct CsvRules {
  TargetKind kind = TargetKind::kClassLabels;
  int features = 0;                                       // > 0: prediction
  const std::vector<std::string>* class_names = nullptr;  // prediction: the model's, if any
};

class CsvParser {
 public:
  CsvParser(const std::string& name, const CsvRules& rules)
      : name_(name), rules_(rules), lookup_(rules.class_names ? *rules.class_names : kNoNames) {}

  Status Line(std::string_view line, int64_t line_no) {
    Status s = ReadLine(line, line_no);
    // A metadata line atop the file fails as the first data line ("150,4,setosa,versicolor,
    // virginica" in sklearn's iris.csv) or is narrower than the data after it ("150,4").
    const bool suspect =
        data_.rows == 0 || (data_.rows == 1 && fields_.size() > expected_ && expected_ > 0);
    if (!s.ok() && rules_.features == 0 && suspect) {
      return Status::InvalidArgument(s.message() + " (does the file start with a line that is " +
                                     "not data? skip_rows: " + std::to_string(first_line_) +
                                     " skips it)");
    }
    return s;
  }

  // Training: labels named if any is not a number, else class indices checked.
  StatusOr<Dataset> Finish(int skip_rows) {
    if (data_.rows == 0) {
      return Status::InvalidArgument(
          name_ + ": no data rows" +
          (skip_rows > 0 ? " after the " + std::to_string(skip_rows) + " lines skip_rows skips"
                         : ""));
    }
    if (named_) {
      data_.class_names = NameClasses(label_text_, &data_.y);
      data_.num_classes = static_cast<int>(data_.class_names.size());
    } else {
      SWEEP_RETURN_IF_ERROR(not_an_index_);
    }
    data_.source = name_;
    return std::move(data_);
  }

  bool has_label() const { return has_label_; }

 private:
  static inline const std::vector<std::string> kNoNames;

  Status ReadLine(std::string_view line, int64_t line_no) {
    SplitLine(line, &fields_);
    if (expected_ == 0) {
      if (IsHeader(fields_)) return Status::Ok();
      first_line_ = line_no;
      SWEEP_RETURN_IF_ERROR(SetWidth(line_no));
    }
    if (fields_.size() != expected_) {
      return Error(line_no, "expected " + std::to_string(expected_) + " fields, got " +
                                std::to_string(fields_.size()));
    }
    float v = 0;
    for (int i = 0; i < data_.cols; ++i) {
      if (!ParseNumber(fields_[i], &v)) {
        return Error(line_no, "field " + std::to_string(i + 1) + ": '" + std::string(fields_[i]) +
                                  "' is not a number");
      }
      data_.x.push_back(v);
    }
    if (has_label_) SWEEP_RETURN_IF_ERROR(Label(fields_.back(), line_no));
    ++data_.rows;
    return Status::Ok();
  }

  // The first data line fixes the width and, when predicting, whether a label is there.
  Status SetWidth(int64_t line_no) {
    expected_ = fields_.size();
    size_t features = static_cast<size_t>(rules_.features);
    if (features == 0) {
      if (expected_ < 2) return Error(line_no, "need at least one feature and a label");
      has_label_ = true;
    } else if (expected_ == features || expected_ == features + 1) {
      has_label_ = expected_ == features + 1;
    } else {
      return Status::InvalidArgument(name_ + " has " + std::to_string(expected_ - 1) +
                                     " feature columns (" + std::to_string(expected_) +
                                     " columns, the last taken as the label); the model takes " +
                                     std::to_string(features));
    }
    data_.cols = static_cast<int>(expected_ - (has_label_ ? 1 : 0));
    return Status::Ok();
  }

  Status Label(std::string_view text, int64_t line_no) {
    if (text.empty()) return Error(line_no, "empty label");
    if (rules_.class_names && !rules_.class_names->empty()) {
      auto index = lookup_.Find(text);
      if (!index.ok()) return index.status().WithContext(Where(line_no));
      data_.y.push_back(static_cast<float>(*index));
      return Status::Ok();
    }
    float v = 0;
    bool number = ParseNumber(text, &v);
    if (rules_.features > 0 || rules_.kind == TargetKind::kRegression) {
      if (!number) {
        return Error(line_no, "label '" + std::string(text) + "' is not a number (" +
                                  (rules_.features > 0 ? "the model has no class names)"
                                                       : "a regression target)"));
      }
      data_.y.push_back(v);
      return Status::Ok();
    }
    label_text_.push_back(text);
    named_ = named_ || !number;
    if (number && (v < 0 || v != std::floor(v)) && not_an_index_.ok()) {
      not_an_index_ = Error(
          line_no, "label '" + std::string(text) + "' is not a class index (an integer >= 0)");
    }
    data_.y.push_back(number ? v : 0);
    return Status::Ok();
  }

  std::string Where(int64_t line_no) const { return name_ + ": line " + std::to_string(line_no); }
  Status Error(int64_t line_no, const std::string& what) const {
    return Status::InvalidArgument(Where(line_no) + ": " + what);
  }

  std::string name_;
  CsvRules rules_;
  ClassLookup lookup_;
  size_t expected_ = 0;     // fields per line; 0 until the first data line
  int64_t first_line_ = 0;  // the first data line's number in the file
  bool has_label_ = false;
  std::vector<std::string_view> fields_;
  Dataset data_;
  // Training class labels: each row's text (a view of the input), whether any is a name, and the
  // first number that is not a class index (an error unless the labels turn out to be names).
  std::vector<std::string_view> label_text_;
  bool named_ = false;
  Status not_an_index_;
};

// Feeds every non-blank, non-comment line of `text` past the first `skip_rows` to `parser`.
Status ParseLines(std::string_view rest, int skip_rows, CsvParser* parser) {
  int64_t line_no = 0;
  while (!rest.empty()) {
    size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    ++line_no;
    if (line_no <= skip_rows) continue;
    std::string_view trimmed = Trim(line);
    if (trimmed.empty() || trimmed.front() == '#') continue;
    SWEEP_RETURN_IF_ERROR(parser->Line(line, line_no));
  }
  return Status::Ok();
}

}  // namespace

StatusOr<Dataset> ParseCsv(const std::string& text, const std::string& name, TargetKind kind,
                           const ReadOptions& options) {
  CsvParser parser(name, {kind});
  SWEEP_RETURN_IF_ERROR(ParseLines(text, options.skip_rows, &parser));
  return parser.Finish(options.skip_rows);
}

Status CheckCsvHead(std::string_view head, const std::string& name, const ReadOptions& options) {
  CsvParser parser(name, {TargetKind::kClassLabels});  // any label text passes
  return ParseLines(head, options.skip_rows, &parser);
}

StatusOr<PredictInput> ParsePredictCsv(const std::string& text, const std::string& name,
                                       int features, const std::vector<std::string>& class_names) {
  if (features <= 0) return Status::InvalidArgument(name + ": the model takes no features");
  CsvParser parser(name, {TargetKind::kRegression, features, &class_names});
  SWEEP_RETURN_IF_ERROR(ParseLines(text, 0, &parser));
  PredictInput in;
  in.has_labels = parser.has_label();
  SWEEP_ASSIGN_OR_RETURN(in.data, parser.Finish(0));
  if (!in.has_labels) in.data.y.assign(static_cast<size_t>(in.data.rows), 0.0f);
  in.data.class_names = class_names;
  in.data.num_classes = static_cast<int>(class_names.size());
  return in;
}

}  // namespace sweep::data
