// The gzip reader (data/gz_file.h) with a 64 MB output limit.
#include <cstddef>
#include <cstdint>
#include <string>

#include "data/gz_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string out;
  (void)sweep::data::Gunzip(std::string_view(reinterpret_cast<const char*>(data), size), "f.gz",
                            64 << 20, &out)
      .ok();
  return 0;
}
