// The CSV readers (data/): training sets (classes and regression, skip_rows 0 and 1), the
// probe's head check and the predict input.
#include <cstddef>
#include <cstdint>
#include <string>

#include "data/dataset_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sweep::data;
  const std::string text(reinterpret_cast<const char*>(data), size);
  const int skip = size > 0 ? data[0] % 2 : 0;
  (void)ParseCsv(text, "fuzz.csv", TargetKind::kClassLabels, {skip}).ok();
  (void)ParseCsv(text, "fuzz.csv", TargetKind::kRegression, {}).ok();
  (void)CheckCsvHead(text, "fuzz.csv", {skip}).ok();
  (void)ParsePredictCsv(text, "fuzz.csv", 4, {"a", "b"}).ok();
  return 0;
}
