// The hot path of ParsePredict (tensor_json.h): a RapidJSON SAX handler that reads a
// {"instances": ...} / {"inputs": ...} body straight into floats, checking the tensor's shape
// on the way (the first array at each depth sets that depth's length), with no DOM and no
// allocation once the output buffer and the reader's stack have grown. RapidJSON's DOM with
// full-precision numbers is its oracle in instances_reader_test.cc (the same acceptance, the
// same floats, on generated and mutated bodies). A hand-written scanner specialised for number
// arrays was tried (2026-12-04) and was no faster (13.5 vs 14.0 us for one 28x28 image,
// BM_ParsePredict), so the library stays. Internal to sweep_predict.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace sweep::predict {

struct TensorRead {
  static constexpr int kMaxRank = 8;
  bool instances = false;  // which key held the tensor
  bool inputs = false;
  bool found = false;  // an array was the tensor key's value
  int rank = -1;       // depth of the numbers; -1 = no number seen
  std::array<int64_t, kMaxRank> dims{};
};

// Parses `body`; numbers of the tensor are appended to `values` (cleared first).
// InvalidArgument with a message for the client; the shape is left to the caller to check.
Status ReadInstances(std::string_view body, TensorRead* out, std::vector<float>* values);

}  // namespace sweep::predict
