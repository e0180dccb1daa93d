#include "sweep/spec/array_plan.h"

#include <algorithm>
#include <cstdint>
#include <limits>

#include "base/strings.h"

namespace sweep {
namespace {

// A run of consecutive rows at least this long gets its own array with an offset rather than
// spending map characters.
constexpr int kMinOffsetRun = 32;

int Digits(int v) { return static_cast<int>(std::to_string(v).size()); }

bool Contiguous(const std::vector<int>& rows) {
  return rows.back() - rows.front() + 1 == static_cast<int>(rows.size());
}

ArrayPart MakePart(std::vector<int> rows, const ArrayLimits& limits, int pack) {
  ArrayPart part;
  const int count = static_cast<int>(rows.size());
  part.pack = pack;
  part.size = (count + pack - 1) / pack;
  part.plain = part.size == 1 && limits.single_is_plain;
  if (!part.plain || pack > 1) {  // a packed plain job is child 0 of its offset or map
    if (Contiguous(rows)) {
      part.offset = rows.front();
    } else {
      part.map = rows;
    }
  }
  part.rows = std::move(rows);
  return part;
}

std::optional<int> ParseNonNegative(std::string_view s) {
  std::optional<int64_t> v = ParseInt(s, 0, std::numeric_limits<int>::max());
  if (!v) return std::nullopt;
  return static_cast<int>(*v);
}

}  // namespace

ArrayLimits BatchLimits() { return ArrayLimits{kBatchMaxArraySize, true, kMaxInlineMapChars}; }

ArrayLimits SlurmLimits(int max_array_size) {
  return ArrayLimits{std::max(1, max_array_size), false, kMaxInlineMapChars};
}

ArrayLimits K8sLimits() { return ArrayLimits{kK8sMaxCompletions, false, kMaxInlineMapChars}; }

std::vector<std::pair<std::string, std::string>> ArrayPart::Env() const {
  if (plain && pack == 1) return {{"SWEEP_INDEX", std::to_string(rows.front())}};
  std::vector<std::pair<std::string, std::string>> env;
  if (plain) env.emplace_back("SWEEP_INDEX", "0");
  if (!map.empty()) env.emplace_back("SWEEP_INDEX_MAP", FormatIndexMap(map));
  if (map.empty() && offset != 0) env.emplace_back("SWEEP_INDEX_OFFSET", std::to_string(offset));
  if (pack > 1) {
    env.emplace_back("SWEEP_PACK", std::to_string(pack));
    env.emplace_back("SWEEP_INDEX_COUNT", std::to_string(rows.size()));
  }
  return env;
}

std::vector<ArrayPart> PlanAllRows(int count, const ArrayLimits& limits, int pack) {
  SWEEP_CHECK(count >= 1 && limits.max_size >= 1 && pack >= 1);
  const int64_t per_part = int64_t{limits.max_size} * pack;
  std::vector<ArrayPart> parts;
  for (int64_t start = 0; start < count; start += per_part) {
    const int end = static_cast<int>(std::min<int64_t>(count, start + per_part));
    std::vector<int> rows(end - start);
    for (int i = static_cast<int>(start); i < end; ++i) rows[i - start] = i;
    parts.push_back(MakePart(std::move(rows), limits, pack));
  }
  return parts;
}

StatusOr<std::vector<ArrayPart>> PlanRows(std::vector<int> rows, const ArrayLimits& limits,
                                          int pack) {
  SWEEP_CHECK(limits.max_size >= 1 && limits.max_map_chars >= 16 && pack >= 1);
  const int64_t per_part = int64_t{limits.max_size} * pack;  // rows: the limit counts children
  if (rows.empty()) return Status::InvalidArgument("no rows to submit");
  std::sort(rows.begin(), rows.end());
  rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
  if (rows.front() < 0)
    return Status::InvalidArgument("negative row " + std::to_string(rows.front()));

  // Long contiguous runs become offset parts (no map at all); the rows in between are pooled
  // into map parts, each closed when it reaches the size limit or the map's character budget.
  std::vector<ArrayPart> parts;
  std::vector<int> pool;
  int pool_chars = 0;
  auto flush_pool = [&] {
    if (!pool.empty()) parts.push_back(MakePart(std::move(pool), limits, pack));
    pool.clear();
    pool_chars = 0;
  };
  for (size_t begin = 0; begin < rows.size();) {
    size_t end = begin + 1;
    while (end < rows.size() && rows[end] == rows[end - 1] + 1) ++end;
    if (end - begin >= static_cast<size_t>(kMinOffsetRun)) {
      flush_pool();
      for (size_t s = begin; s < end; s += static_cast<size_t>(per_part)) {
        size_t e = std::min(end, s + static_cast<size_t>(per_part));
        parts.push_back(
            MakePart(std::vector<int>(rows.begin() + s, rows.begin() + e), limits, pack));
      }
    } else {
      for (size_t i = begin; i < end; ++i) {
        int added = Digits(rows[i]) + (pool.empty() ? 0 : 1);
        if (static_cast<int64_t>(pool.size()) >= per_part ||
            pool_chars + added > limits.max_map_chars) {
          flush_pool();
          added = Digits(rows[i]);
        }
        pool.push_back(rows[i]);
        pool_chars += added;
      }
    }
    begin = end;
  }
  flush_pool();
  return parts;
}

std::string FormatIndexMap(const std::vector<int>& map) {
  std::string out;
  for (int v : map) {
    if (!out.empty()) out += ',';
    out += std::to_string(v);
  }
  return out;
}

StatusOr<std::vector<int>> ParseIndexMap(const std::string& text) {
  std::vector<int> out;
  size_t start = 0;
  while (true) {
    size_t comma = text.find(',', start);
    std::string_view item(text.data() + start,
                          (comma == std::string::npos ? text.size() : comma) - start);
    auto v = ParseNonNegative(item);
    if (!v) {
      return Status::InvalidArgument("SWEEP_INDEX_MAP: item " + std::to_string(out.size()) + " '" +
                                     std::string(item) + "' is not a row index");
    }
    out.push_back(*v);
    if (comma == std::string::npos) return out;
    start = comma + 1;
  }
}

StatusOr<RowMapping> ParseRowMapping(const std::optional<std::string>& map,
                                     const std::optional<std::string>& offset) {
  RowMapping mapping;
  if (map) {
    SWEEP_ASSIGN_OR_RETURN(mapping.map, ParseIndexMap(*map));
  }
  if (offset) {
    auto v = ParseNonNegative(*offset);
    if (!v)
      return Status::InvalidArgument("SWEEP_INDEX_OFFSET='" + *offset + "' is not a row index");
    mapping.offset = *v;
  }
  return mapping;
}

StatusOr<int> RowMapping::RowOf(int index) const {
  if (index < 0) return Status::InvalidArgument("negative array index");
  int row = index;
  if (map) {
    if (index >= static_cast<int>(map->size())) {
      return Status::InvalidArgument("array index " + std::to_string(index) +
                                     " is past the end of SWEEP_INDEX_MAP (" +
                                     std::to_string(map->size()) + " rows)");
    }
    row = (*map)[index];
  }
  if (row > std::numeric_limits<int>::max() - offset) {
    return Status::InvalidArgument("row " + std::to_string(row) + " + SWEEP_INDEX_OFFSET " +
                                   std::to_string(offset) + " is past 2^31-1");
  }
  return row + offset;
}

StatusOr<int> RowForIndex(int index, const std::optional<std::string>& map,
                          const std::optional<std::string>& offset) {
  if (index < 0) return Status::InvalidArgument("negative array index");
  SWEEP_ASSIGN_OR_RETURN(RowMapping mapping, ParseRowMapping(map, offset));
  return mapping.RowOf(index);
}

}  // namespace sweep
