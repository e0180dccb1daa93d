// model.h5 files as `sweep serve` and `sweep predict` load them (predict::LoadModel): the HDF5
// file is read in a reader process (this binary again, storage/model_isolated.h), whose report
// is decoded here. A crash or hang of libhdf5 in the reader must come back as a Corruption, never
// take this process down. One spawn per input: slow (a few hundred inputs a second at best).
// The same bytes also go to the report decoder directly.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "base/file.h"
#include "storage/model_isolated.h"
#include "sweep/predict/loaded_model.h"

namespace {
std::string* model_path = nullptr;
}

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  sweep::storage::RunModelReaderIfAsked(*argc, *argv);
  // A reader libhdf5 hangs in is killed after 3 s, well inside libFuzzer's 10 s per input.
  ::setenv("SWEEP_MODEL_READ_TIMEOUT", "3", 1);
  const char* tmp = std::getenv("TMPDIR");
  model_path = new std::string(std::string(tmp ? tmp : "/tmp") + "/fuzz_model_h5." +
                               std::to_string(::getpid()) + ".h5");
  std::atexit([] { ::unlink(model_path->c_str()); });
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  (void)sweep::storage::DecodeModelFile(bytes).ok();
  if (!sweep::WriteFileAtomic(*model_path, bytes).ok()) std::abort();
  (void)sweep::predict::LoadModel(*model_path, nullptr).ok();
  return 0;
}
