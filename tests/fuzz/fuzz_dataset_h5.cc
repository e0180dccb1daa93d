// HDF5 data sets as the worker reads them (data::ReadDataset on a .h5 file): first in a forked
// child (data/isolated.h), then, only when the child ended cleanly, in this process. A crash
// here means libhdf5 read the same bytes differently twice, or our code after it is wrong.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "base/file.h"
#include "data/dataset_reader.h"

namespace {
std::string* data_path = nullptr;
}

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const char* tmp = std::getenv("TMPDIR");
  data_path = new std::string(std::string(tmp ? tmp : "/tmp") + "/fuzz_dataset_h5." +
                              std::to_string(::getpid()) + ".h5");
  std::atexit([] { ::unlink(data_path->c_str()); });
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  if (!sweep::WriteFileAtomic(*data_path, bytes).ok()) std::abort();
  for (auto kind : {sweep::data::TargetKind::kClassLabels, sweep::data::TargetKind::kRegression}) {
    (void)sweep::data::ReadDataset(*data_path, kind).ok();
  }
  return 0;
}
