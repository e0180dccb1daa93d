// Splitting a sweep's rows into engine job arrays, and mapping an engine index back to a row.
//
// An engine runs an array of `size` children with indices 0..size-1. Each part of a plan says
// how its child index i becomes a sweep row, through two environment variables the worker reads
// (worker/index.h):
//   SWEEP_INDEX_MAP     "3,5,9": child i runs row map[i]          (a rerun of chosen rows)
//   SWEEP_INDEX_OFFSET  "10000": child i runs row i + offset     (arrays past the size limit)
// A part sets at most one of them, so the order the worker applies them in does not matter.
// A part of one child under an engine with no size-1 arrays (AWS Batch) is a plain job: no
// child index exists, the part's row is passed as SWEEP_INDEX instead.
//
// Limits per engine: AWS Batch arrays 2..10,000 children (one row -> plain job); Slurm up to
// MaxArraySize children (default 1001; indices 0..MaxArraySize-1); Kubernetes Indexed Jobs up
// to 100,000 completions. An inline map is capped in characters (Batch caps container overrides
// at 8 KiB), so a long map splits into more parts.
// All functions are pure.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"

namespace sweep {

inline constexpr int kBatchMaxArraySize = 10000;
inline constexpr int kSlurmDefaultMaxArraySize = 1001;
inline constexpr int kK8sMaxCompletions = 100000;
inline constexpr int kMaxInlineMapChars = 6000;

struct ArrayLimits {
  int max_size = kBatchMaxArraySize;  // most children in one array
  bool single_is_plain = true;        // a 1-row part is a plain job (Batch: arrays start at 2)
  int max_map_chars = kMaxInlineMapChars;
};

ArrayLimits BatchLimits();
ArrayLimits SlurmLimits(int max_array_size = kSlurmDefaultMaxArraySize);
ArrayLimits K8sLimits();

// Packed rows (`pack` K > 1, the worker's SWEEP_PACK): child i runs the K rows
// rows[i*K .. i*K+K-1] (the last child may run fewer), so a part has ceil(rows / K) children
// and the engine's size limit counts children, not rows. Its children also get SWEEP_PACK and
// SWEEP_INDEX_COUNT (the part's rows: a slot at or past it is not the part's), and a plain job
// runs child 0 of its map or offset (SWEEP_INDEX=0) instead of naming its row. K is at most
// kMaxPack (`sweep submit --pack`, the worker's --pack and SWEEP_PACK).
inline constexpr int kMaxPack = 4096;
struct ArrayPart {
  int size = 0;           // children (1 for a plain job)
  bool plain = false;     // not an array: one child, via SWEEP_INDEX
  int offset = 0;         // SWEEP_INDEX_OFFSET (0 = unset); only when `map` is empty
  std::vector<int> map;   // SWEEP_INDEX_MAP, empty = unset
  std::vector<int> rows;  // the rows this part runs: child i runs rows[i] (packed: see above)
  int pack = 1;

  // The environment this part's children need (SWEEP_INDEX, SWEEP_INDEX_OFFSET or
  // SWEEP_INDEX_MAP; packed, SWEEP_PACK and SWEEP_INDEX_COUNT), as name/value pairs; empty for
  // a full unpacked array starting at row 0.
  std::vector<std::pair<std::string, std::string>> Env() const;
};

// Parts covering every row 0..count-1, in order. Requires count >= 1 and pack >= 1.
std::vector<ArrayPart> PlanAllRows(int count, const ArrayLimits& limits, int pack = 1);

// Parts covering exactly `rows` (any order, duplicates ignored; each >= 0). Runs of 32 or more
// consecutive rows become offset arrays; the other rows are pooled into inline-map arrays.
// Requires pack >= 1. Errors: InvalidArgument when `rows` is empty or holds a negative row.
StatusOr<std::vector<ArrayPart>> PlanRows(std::vector<int> rows, const ArrayLimits& limits,
                                          int pack = 1);

// "3,5,9" for {3,5,9}.
std::string FormatIndexMap(const std::vector<int>& map);
// Inverse of FormatIndexMap. Errors: InvalidArgument naming the bad item.
StatusOr<std::vector<int>> ParseIndexMap(const std::string& text);

// What SWEEP_INDEX_MAP and SWEEP_INDEX_OFFSET say (nullopt = unset), parsed once: a packed
// worker looks up many slots. Errors: InvalidArgument naming the malformed value.
struct RowMapping {
  std::optional<std::vector<int>> map;
  int offset = 0;
  // The row of engine index (or pack slot) `index`: map[index] when a map is given, then +
  // offset. Errors: InvalidArgument for a negative index, one past the map's end, or a row past
  // INT_MAX.
  StatusOr<int> RowOf(int index) const;
};
StatusOr<RowMapping> ParseRowMapping(const std::optional<std::string>& map,
                                     const std::optional<std::string>& offset);

// The row a child runs: map[index] when a map is given, then + offset; what the worker computes
// from its engine index, SWEEP_INDEX_MAP and SWEEP_INDEX_OFFSET (nullopt = unset).
// Errors: InvalidArgument for a malformed value or an index past the map's end.
StatusOr<int> RowForIndex(int index, const std::optional<std::string>& map,
                          const std::optional<std::string>& offset);

}  // namespace sweep
