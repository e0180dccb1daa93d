#include "data/limits.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>

namespace sweep::data {
namespace {

// The first number in `path`, or 0 when it is absent or says "max".
uint64_t ReadLimitFile(const std::string& path) {
  std::ifstream in(path);
  unsigned long long v = 0;
  return in >> v ? v : 0;
}

}  // namespace

uint64_t MemoryLimitBytes(const std::string& cgroup_root) {
  uint64_t limit = UINT64_MAX;
  const long pages = ::sysconf(_SC_PHYS_PAGES), page = ::sysconf(_SC_PAGESIZE);
  if (pages > 0 && page > 0) limit = uint64_t(pages) * uint64_t(page);
  for (const char* file : {"/memory.max", "/memory/memory.limit_in_bytes"}) {
    const uint64_t v = ReadLimitFile(cgroup_root + file);
    if (v > 0) limit = std::min(limit, v);
  }
  rlimit as{};
  if (::getrlimit(RLIMIT_AS, &as) == 0 && as.rlim_cur != RLIM_INFINITY) {
    limit = std::min<uint64_t>(limit, as.rlim_cur);
  }
  return limit;
}

uint64_t DataByteLimit() {
  static const uint64_t limit = MemoryLimitBytes() / 4;
  return limit;
}

Status CheckDataBytes(uint64_t bytes, const std::string& what) {
  const uint64_t limit = DataByteLimit();
  if (bytes <= limit) return Status::Ok();
  return Status::InvalidArgument(what + ": " + std::to_string(bytes) +
                                 " bytes is over the data limit of " + std::to_string(limit) +
                                 " bytes (a quarter of the memory this process may use)");
}

bool CheckedMul(uint64_t a, uint64_t b, uint64_t* out) {
  return !__builtin_mul_overflow(a, b, out);
}

}  // namespace sweep::data
