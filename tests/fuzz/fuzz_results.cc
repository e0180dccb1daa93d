// The files sweep reads back from storage: result.json, sweep.json, checkpoint.bin.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "storage/checkpoint.h"
#include "storage/result.h"
#include "sweep/spec/plan.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto r = sweep::storage::ParseResult(text); r.ok()) (void)sweep::storage::ToJsonText(*r);
  if (auto p = sweep::ParsePlan(text); p.ok()) (void)sweep::PlanToText(*p);
  sweep::storage::CheckpointMeta meta;
  if (auto c = sweep::storage::DecodeCheckpoint(text, &meta); c.ok()) {
    (void)sweep::storage::EncodeCheckpoint(*c, meta);
  }
  (void)sweep::storage::PeekCheckpoint(text).ok();
  return 0;
}
