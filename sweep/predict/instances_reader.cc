#include "sweep/predict/instances_reader.h"

#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>

#include <cmath>

namespace sweep::predict {
namespace {

using rapidjson::SizeType;

// Events outside the tensor are skipped (their depth counted); inside, arrays and numbers
// build the flat values and the shape. A handler returning false stops the reader; `error`
// then says why.
class Handler : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, Handler> {
 public:
  Handler(TensorRead* out, std::vector<float>* values) : out_(out), values_(values) {}

  std::string error;

  bool Default() {
    if (depth_ == 0) return Fail("the body must be a JSON object");
    return InTensor() ? Fail("every element must be a number") : true;
  }
  bool Null() { return Default(); }
  bool Bool(bool) { return Default(); }
  bool String(const char*, SizeType, bool) { return Default(); }
  bool Int(int v) { return Number(v); }
  bool Uint(unsigned v) { return Number(v); }
  bool Int64(int64_t v) { return Number(static_cast<double>(v)); }
  bool Uint64(uint64_t v) { return Number(static_cast<double>(v)); }
  bool Double(double v) { return Number(v); }
  bool StartObject() {
    if (InTensor()) return Fail("every element must be a number");
    if (named_ == 1 && depth_ == 1 && tensor_key_) named_ = 2;  // {"inputs": {"name": ...}}
    ++depth_;
    return true;
  }
  bool Key(const char* s, SizeType n, bool) {
    const std::string_view key(s, n);
    if (depth_ == 1) {
      tensor_key_ = key == "instances" || key == "inputs";
      if ((key == "instances" && out_->instances) || (key == "inputs" && out_->inputs)) {
        return Fail("\"" + std::string(key) + "\" appears twice");
      }
      if (key == "instances") out_->instances = true;
      if (key == "inputs") out_->inputs = true, named_ = 1;
      if (key != "inputs") named_ = 0;
    } else if (depth_ == 2 && named_ == 2 && ++names_ > 1) {
      return Fail("\"inputs\" names more than one input; this model has one");
    }
    return true;
  }
  bool EndObject(SizeType) {
    --depth_;
    return true;
  }

  bool StartArray() {
    if (depth_ == 0) return Fail("the body must be a JSON object");
    if (!InTensor()) {
      if (!AtTensorStart()) return ++depth_, true;
      base_ = depth_;
      out_->found = true;
    }
    const int d = depth_ - base_;  // this array's depth in the tensor
    if (d >= TensorRead::kMaxRank) return Fail("the tensor is nested more than 8 deep");
    if (out_->rank >= 0 && d >= out_->rank) return Ragged();
    ++depth_;
    return true;
  }
  bool EndArray(SizeType count) {
    --depth_;
    if (!InTensor()) return true;
    const int d = depth_ - base_;
    if (d + 1 > max_depth_) max_depth_ = d + 1;
    int64_t& dim = out_->dims[d];
    if (!seen_[d]) {
      seen_[d] = true;
      dim = count;
    } else if (dim != count) {
      return Ragged();
    }
    if (d == 0) base_ = -1;  // the tensor is done
    return true;
  }

  int max_depth() const { return max_depth_; }

 private:
  bool InTensor() const { return base_ >= 0; }
  bool AtTensorStart() const {
    // A second tensor (both "instances" and "inputs") is skipped: the caller refuses the body.
    return tensor_key_ && !out_->found &&
           ((named_ != 2 && depth_ == 1) || (named_ == 2 && depth_ == 2));
  }
  bool Fail(std::string message) {
    error = std::move(message);
    return false;
  }
  bool Ragged() {
    return Fail("the tensor is ragged: its elements do not all have the first one's shape");
  }
  bool Number(double d) {
    if (!InTensor()) return depth_ == 0 ? Fail("the body must be a JSON object") : true;
    const int depth = depth_ - base_;
    if (out_->rank < 0) out_->rank = depth;
    if (depth != out_->rank) return Ragged();
    const float f = static_cast<float>(d);
    if (!std::isfinite(f)) {
      return Fail(std::isfinite(d) ? "a value is out of float32 range"
                                   : "a value is NaN or infinite; the model takes finite numbers");
    }
    values_->push_back(f);
    return true;
  }

  TensorRead* out_;
  std::vector<float>* values_;
  int depth_ = 0;      // nesting of the whole document
  int base_ = -1;      // depth_ at the tensor's outer array; -1 outside it
  int max_depth_ = 0;  // deepest array closed in the tensor
  bool tensor_key_ = false;
  int named_ = 0;  // 1: the value of "inputs" is next; 2: it is an object of named inputs
  int names_ = 0;
  std::array<bool, TensorRead::kMaxRank> seen_{};
};

}  // namespace

Status ReadInstances(std::string_view body, TensorRead* out, std::vector<float>* values) {
  thread_local rapidjson::Reader reader;  // keeps its stack between requests
  *out = TensorRead{};
  values->clear();
  Handler handler(out, values);
  rapidjson::MemoryStream ms(body.data(), body.size());
  rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> in(ms);
  const rapidjson::ParseResult r = reader.Parse<rapidjson::kParseNanAndInfFlag>(in, handler);
  if (!handler.error.empty()) return Status::InvalidArgument(handler.error);
  if (r.IsError()) {
    return Status::InvalidArgument(std::string("the body is not JSON: ") +
                                   rapidjson::GetParseError_En(r.Code()) + " (at byte " +
                                   std::to_string(r.Offset()) + ")");
  }
  if (out->rank < 0) out->rank = handler.max_depth();
  return Status::Ok();
}

}  // namespace sweep::predict
