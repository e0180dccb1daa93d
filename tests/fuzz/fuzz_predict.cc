// Request bodies of `sweep serve` / `sweep predict` (TF Serving row/columnar, KServe V2).
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "sweep/predict/instances_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  sweep::predict::TensorRead read;
  std::vector<float> values;
  (void)sweep::predict::ReadInstances(std::string_view(reinterpret_cast<const char*>(data), size),
                                      &read, &values)
      .ok();
  return 0;
}
