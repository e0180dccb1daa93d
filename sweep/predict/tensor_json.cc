#include "sweep/predict/tensor_json.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <array>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

#include "sweep/predict/instances_reader.h"

namespace sweep::predict {
namespace {

using Alloc = rapidjson::MemoryPoolAllocator<rapidjson::CrtAllocator>;
using Doc = rapidjson::GenericDocument<rapidjson::UTF8<>, Alloc, Alloc>;
using Value = rapidjson::GenericValue<rapidjson::UTF8<>, Alloc>;

constexpr int kMaxRank = TensorRead::kMaxRank;

struct Shape {
  std::array<int64_t, kMaxRank> dims{};
  int rank = 0;
  int64_t Elements(int from) const {
    int64_t e = 1;
    for (int i = from; i < rank; ++i) e *= dims[i];
    return e;
  }
  std::string Text(int from) const {
    std::string s = "[";
    for (int i = from; i < rank; ++i) s += (i > from ? ", " : "") + std::to_string(dims[i]);
    return s + "]";
  }
};

Status Bad(std::string message) { return Status::InvalidArgument(std::move(message)); }

// The shape the first elements of `v` spell (descending into element 0 at each level).
StatusOr<Shape> ShapeOf(const Value& v) {
  Shape s;
  const Value* cur = &v;
  while (cur->IsArray()) {
    if (s.rank == kMaxRank) return Bad("the tensor is nested more than 8 deep");
    s.dims[s.rank++] = cur->Size();
    if (cur->Empty()) break;
    cur = &(*cur)[0];
  }
  return s;
}

// Appends the numbers of `v` (an array of `shape` from `depth` on) to `out`, checking every
// array has the shape's length and every leaf is a finite number.
Status Collect(const Value& v, const Shape& shape, int depth, std::vector<float>* out) {
  if (depth == shape.rank) {
    if (!v.IsNumber()) {
      return Bad(v.IsArray() ? "the tensor is ragged: an element nests deeper than the first"
                             : "every element must be a number");
    }
    const double d = v.GetDouble();
    const float f = static_cast<float>(d);
    if (!std::isfinite(f)) {
      return Bad(std::isfinite(d) ? "a value is out of float32 range"
                                  : "a value is NaN or infinite; the model takes finite numbers");
    }
    out->push_back(f);
    return Status::Ok();
  }
  if (!v.IsArray() || v.Size() != static_cast<rapidjson::SizeType>(shape.dims[depth])) {
    return Bad("the tensor is ragged: the first element has shape " + shape.Text(0) +
               ", another does not");
  }
  for (const Value& e : v.GetArray()) SWEEP_RETURN_IF_ERROR(Collect(e, shape, depth + 1, out));
  return Status::Ok();
}

// Whether dims[from..] is one sample of `spec`: flat, nested as spec.shape, or a scalar for a
// one-input model.
bool FitsSample(const Shape& s, int from, const InputSpec& spec) {
  const int rank = s.rank - from;
  if (rank == 0) return spec.width == 1;
  if (rank == 1 && s.dims[from] == spec.width) return true;
  if (rank != static_cast<int>(spec.shape.size())) return false;
  for (int i = 0; i < rank; ++i) {
    if (s.dims[from + i] != spec.shape[i]) return false;
  }
  return true;
}

std::string Expected(const InputSpec& spec) {
  std::string s = std::to_string(spec.width) + " numbers";
  if (spec.shape.size() > 1) s += ", flat or nested as " + ShapeText(spec);
  return s;
}

Status ParseInto(std::string_view body, Doc* doc) {
  doc->Parse<rapidjson::kParseNanAndInfFlag>(body.data(), body.size());
  if (doc->HasParseError()) {
    return Bad(std::string("the body is not JSON: ") +
               rapidjson::GetParseError_En(doc->GetParseError()) + " (at byte " +
               std::to_string(doc->GetErrorOffset()) + ")");
  }
  if (!doc->IsObject()) return Bad("the body must be a JSON object");
  return Status::Ok();
}

}  // namespace

struct RequestParser::Arena {
  static constexpr size_t kValueBytes = 4 << 20;  // ~170k numbers before the pool grows
  static constexpr size_t kStackBytes = 64 << 10;
  std::unique_ptr<char[]> values{new char[kValueBytes]};
  std::unique_ptr<char[]> stack{new char[kStackBytes]};
};

std::string ShapeText(const InputSpec& spec) {
  Shape s;
  if (spec.shape.empty()) s.dims[s.rank++] = spec.width;
  for (int d : spec.shape) s.dims[s.rank++] = d;
  return s.Text(0);
}

RequestParser::RequestParser() : arena_(std::make_unique<Arena>()) {}
RequestParser::~RequestParser() = default;

Status RequestParser::ParsePredict(std::string_view body, const InputSpec& spec, Batch* out) {
  TensorRead t;
  SWEEP_RETURN_IF_ERROR(ReadInstances(body, &t, &out->values));
  out->id.clear();
  if (t.instances == t.inputs) {
    return Bad(t.instances ? "send either \"instances\" or \"inputs\", not both"
                           : "the body needs \"instances\" (row format) or \"inputs\" "
                             "(columnar format)");
  }
  out->form = t.instances ? BodyForm::kInstances : BodyForm::kInputs;
  const char* what = t.instances ? "\"instances\"" : "\"inputs\"";
  if (!t.found) return Bad(std::string(what) + " must be a list of instances");
  Shape shape;
  shape.rank = t.rank;
  shape.dims = t.dims;
  if (shape.dims[0] == 0) return Bad(std::string(what) + " is empty: send at least one instance");
  if (!FitsSample(shape, 1, spec)) {
    return Bad("each instance must be " + Expected(spec) + "; got one of shape " + shape.Text(1));
  }
  out->n = shape.dims[0];
  return Status::Ok();
}

namespace {

Status CheckDatatype(const Value& input) {
  const auto dt = input.FindMember("datatype");
  if (dt == input.MemberEnd() || !dt->value.IsString()) {
    return Bad("the input needs a \"datatype\" (FP32)");
  }
  const std::string_view t(dt->value.GetString(), dt->value.GetStringLength());
  if (t == "FP32" || t == "FP64" || t == "FP16" || t.starts_with("INT") || t.starts_with("UINT")) {
    return Status::Ok();
  }
  return Bad("datatype " + std::string(t) + " is not numeric; this model takes FP32");
}

StatusOr<Shape> DeclaredShape(const Value& input) {
  const auto sh = input.FindMember("shape");
  if (sh == input.MemberEnd() || !sh->value.IsArray() || sh->value.Empty()) {
    return Bad("the input needs a \"shape\" such as [1, 784]");
  }
  Shape s;
  for (const Value& d : sh->value.GetArray()) {
    if (!d.IsInt64() || d.GetInt64() < 0) return Bad("\"shape\" must list sizes >= 0");
    if (s.rank == kMaxRank) return Bad("\"shape\" has more than 8 dimensions");
    s.dims[s.rank++] = d.GetInt64();
  }
  return s;
}

}  // namespace

Status RequestParser::ParseInfer(std::string_view body, const InputSpec& spec, Batch* out) {
  Alloc values(arena_->values.get(), Arena::kValueBytes);
  Alloc stack(arena_->stack.get(), Arena::kStackBytes);
  Doc doc(&values, 1024, &stack);
  SWEEP_RETURN_IF_ERROR(ParseInto(body, &doc));
  out->form = BodyForm::kInfer;
  out->id.clear();
  if (auto id = doc.FindMember("id"); id != doc.MemberEnd()) {
    if (!id->value.IsString()) return Bad("\"id\" must be a string");
    out->id.assign(id->value.GetString(), id->value.GetStringLength());
  }
  const auto inputs = doc.FindMember("inputs");
  if (inputs == doc.MemberEnd() || !inputs->value.IsArray()) {
    return Bad("the body needs \"inputs\": [{\"name\", \"shape\", \"datatype\", \"data\"}]");
  }
  if (inputs->value.Size() != 1) {
    return Bad("\"inputs\" has " + std::to_string(inputs->value.Size()) +
               " tensors; this model has one input");
  }
  const Value& input = inputs->value[0];
  if (!input.IsObject()) return Bad("an input must be an object");
  SWEEP_RETURN_IF_ERROR(CheckDatatype(input));
  StatusOr<Shape> shape = DeclaredShape(input);
  SWEEP_RETURN_IF_ERROR(shape.status());
  if (shape->dims[0] == 0) return Bad("the input's batch size (shape[0]) is 0");
  if (!FitsSample(*shape, 1, spec)) {
    return Bad("shape " + shape->Text(0) + " does not fit the model: each instance must be " +
               Expected(spec));
  }
  const auto data = input.FindMember("data");
  if (data == input.MemberEnd() || !data->value.IsArray()) {
    return Bad("the input needs \"data\": a flat or nested list of numbers");
  }
  StatusOr<Shape> data_shape = ShapeOf(data->value);
  SWEEP_RETURN_IF_ERROR(data_shape.status());
  out->values.clear();
  out->values.reserve(static_cast<size_t>(shape->Elements(0)));
  SWEEP_RETURN_IF_ERROR(Collect(data->value, *data_shape, 0, &out->values));
  if (static_cast<int64_t>(out->values.size()) != shape->Elements(0)) {
    return Bad("\"data\" has " + std::to_string(out->values.size()) + " numbers; shape " +
               shape->Text(0) + " needs " + std::to_string(shape->Elements(0)));
  }
  out->n = shape->dims[0];
  return Status::Ok();
}

void AppendFloat(float v, std::string* out) {
  if (!std::isfinite(v)) {
    out->append(std::isnan(v) ? "NaN" : (v > 0 ? "Infinity" : "-Infinity"));
    return;
  }
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out->append(buf, r.ptr);
}

namespace {

void AppendRows(const float* p, int64_t n, int outputs, std::string* out) {
  out->push_back('[');
  for (int64_t i = 0; i < n; ++i) {
    if (i) out->push_back(',');
    out->push_back('[');
    for (int j = 0; j < outputs; ++j) {
      if (j) out->push_back(',');
      AppendFloat(p[i * outputs + j], out);
    }
    out->push_back(']');
  }
  out->push_back(']');
}

void AppendJsonString(std::string_view s, std::string* out) {
  out->append(nlohmann::json(std::string(s))
                  .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace

void AppendPredictResponse(BodyForm form, const float* p, int64_t n, int outputs,
                           std::string* out) {
  out->append(form == BodyForm::kInputs ? "{\"outputs\":" : "{\"predictions\":");
  AppendRows(p, n, outputs, out);
  out->push_back('}');
}

void AppendInferResponse(std::string_view model_name, int version, std::string_view id,
                         const float* p, int64_t n, int outputs, std::string* out) {
  out->append("{\"model_name\":");
  AppendJsonString(model_name, out);
  out->append(",\"model_version\":\"" + std::to_string(version) + "\"");
  if (!id.empty()) {
    out->append(",\"id\":");
    AppendJsonString(id, out);
  }
  out->append(",\"outputs\":[{\"name\":\"output_0\",\"datatype\":\"FP32\",\"shape\":[" +
              std::to_string(n) + "," + std::to_string(outputs) + "],\"data\":[");
  for (int64_t i = 0; i < n * outputs; ++i) {
    if (i) out->push_back(',');
    AppendFloat(p[i], out);
  }
  out->append("]}]}");
}

std::string ErrorJson(std::string_view message) {
  std::string out = "{\"error\":";
  AppendJsonString(message, &out);
  out.push_back('}');
  return out;
}

}  // namespace sweep::predict
