// How big a data set may be. Every size read from a file or a data name (a gzip stream's
// decoded length, IDX dimensions, HDF5 extents, synthetic rows x features) is checked here
// before anything is allocated from it: past the limit the reader fails with InvalidArgument
// (exit 2) naming the value and the limit, never an abort, an OOM kill or a wrapped product.
#pragma once

#include <cstdint>
#include <string>

#include "base/status.h"

namespace sweep::data {

// The memory this process may use, in bytes: the least of physical memory, the cgroup's limit
// (v2 memory.max, else v1 memory/memory.limit_in_bytes, under `cgroup_root`) and RLIMIT_AS.
uint64_t MemoryLimitBytes(const std::string& cgroup_root = "/sys/fs/cgroup");

// Bytes one input may take once decoded (a file's contents, or its values as floats): a quarter
// of MemoryLimitBytes(), the rest left for the parsed copy, the split and training.
uint64_t DataByteLimit();

// Ok, or InvalidArgument "what: N bytes is over the data limit of M bytes (a quarter of the
// memory this process may use)".
Status CheckDataBytes(uint64_t bytes, const std::string& what);

// *out = a * b; false when the product does not fit in 64 bits.
bool CheckedMul(uint64_t a, uint64_t b, uint64_t* out);

}  // namespace sweep::data
