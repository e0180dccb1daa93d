// --set values (sweep/spec ApplyOverrides): one key=value per input, applied to a fixed row.
#include <cstddef>
#include <cstdint>
#include <string>

#include "sweep/spec/row_config.h"
#include "sweep/spec/spec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  sweep::StatusOr<sweep::Spec> spec =
      sweep::ParseSpec("- {dataset: d, epochs: 1}\n", "fuzz.yml", "/data");
  if (!spec.ok()) __builtin_trap();
  const std::string set(reinterpret_cast<const char*>(data), size);
  if (!sweep::ApplyOverrides({set}, &*spec).ok()) return 0;
  (void)sweep::ConfigFromRow(spec->rows[0]).ok();
  return 0;
}
