// The JSON bodies of a prediction: TF Serving / Vertex AI `{"instances": ...}` (row format) and
// `{"inputs": ...}` (columnar), KServe V2 / Open Inference Protocol `infer` requests, and the
// answers to each. Parsed with RapidJSON (what TF Serving itself parses its REST bodies with):
// `NaN`, `Infinity` and `-Infinity` tokens are accepted as TF Serving accepts them, then refused
// as model inputs (the model takes finite numbers).
//
// One instance is `width` numbers, flat or nested exactly as the model's sample shape
// ([[28 numbers] x 28] for a 28x28 image). A parser owns its memory (an arena reused from
// request to request): after the first few requests parsing allocates nothing.
// Thread-safety: one RequestParser per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace sweep::predict {

// What a model takes: samples of `width` floats, nested as `shape` (empty = flat only).
struct InputSpec {
  int width = 0;
  std::vector<int> shape;
};

// "[28, 28]" or "[784]": the shape named in messages.
std::string ShapeText(const InputSpec& spec);

enum class BodyForm { kInstances, kInputs, kInfer };

struct Batch {
  BodyForm form = BodyForm::kInstances;
  int64_t n = 0;              // samples
  std::vector<float> values;  // n * width, sample after sample (capacity reused)
  std::string id;             // KServe V2 request id, echoed ("" = none)
};

class RequestParser {
 public:
  RequestParser();
  ~RequestParser();
  RequestParser(const RequestParser&) = delete;
  RequestParser& operator=(const RequestParser&) = delete;

  // {"instances": [...]} or {"inputs": [...] | {"<name>": [...]}}; "signature_name" and
  // "parameters" are accepted and ignored. InvalidArgument with a message for the client.
  Status ParsePredict(std::string_view body, const InputSpec& spec, Batch* out);
  // {"id"?, "inputs": [{"name", "shape", "datatype": "FP32"|"FP64"|"INT*"|"UINT*", "data"}],
  //  "outputs"?, "parameters"?}: exactly one input; data flat or nested; shape [n, ...] whose
  // product after n is the width.
  Status ParseInfer(std::string_view body, const InputSpec& spec, Batch* out);

 private:
  struct Arena;
  std::unique_ptr<Arena> arena_;
};

// Appends `v` in the shortest form that reads back to the same float ("0.25", "1e-07").
void AppendFloat(float v, std::string* out);

// {"predictions": [[...], ...]} (or "outputs" for the columnar form) for n rows of `outputs`
// values at `p`, appended to `out`. A single-output model gives [v, ...] per row as TF Serving
// does for a [n, 1] tensor: [[v], ...].
void AppendPredictResponse(BodyForm form, const float* p, int64_t n, int outputs, std::string* out);

// KServe V2 infer response: {"model_name", "model_version", "id"?, "outputs": [{"name":
// "output_0", "shape": [n, outputs], "datatype": "FP32", "data": [...]}]}.
void AppendInferResponse(std::string_view model_name, int version, std::string_view id,
                         const float* p, int64_t n, int outputs, std::string* out);

// {"error": "<message>"} with the message escaped.
std::string ErrorJson(std::string_view message);

}  // namespace sweep::predict
