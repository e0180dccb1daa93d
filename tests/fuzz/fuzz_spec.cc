// The spec loader, the W&B expansion and row -> TrainConfig (sweep/spec).
#include <cstddef>
#include <cstdint>
#include <string>

#include "sweep/spec/row_config.h"
#include "sweep/spec/spec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  sweep::StatusOr<sweep::Spec> spec = sweep::ParseSpec(text, "fuzz.yml", "/data");
  if (!spec.ok()) return 0;
  for (const auto& row : spec->rows) (void)sweep::ConfigFromRow(row).ok();
  (void)sweep::RowsToYaml(spec->rows);
  (void)sweep::RowsHash(spec->rows);
  return 0;
}
