// The IDX reader (data/idx_reader.h) over in-memory bytes: the first byte splits the input
// into an images and a labels file.
#include <cstddef>
#include <cstdint>
#include <string>

#include "data/idx_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t split = std::min<size_t>(size - 1, data[0] * 4);
  const std::string images(reinterpret_cast<const char*>(data) + 1, split);
  const std::string labels(reinterpret_cast<const char*>(data) + 1 + split, size - 1 - split);
  (void)sweep::data::ParseIdx(images, "i", labels, "l").ok();
  (void)sweep::data::ParseIdx(images, "i", "", "").ok();
  return 0;
}
