// How many CPUs and how much memory this process may really use: the container's quota and
// limit, not the host's.
//
// On AWS Batch a 4-vCPU job on a 96-core host gets cgroup quota 400000/100000: it must use 4.
#pragma once

#include <cstdint>
#include <string>

namespace sweep {

// Quota from a cgroup file system mounted at `cgroup_root` (normally /sys/fs/cgroup):
// v2 `cpu.max` ("max 100000" or "400000 100000"), else v1 `cpu/cpu.cfs_quota_us` and
// `cpu/cpu.cfs_period_us`. Returns 0 when no quota is set or the files are absent.
// A fractional quota rounds up (1.5 CPUs -> 2).
int CgroupCpuQuota(const std::string& cgroup_root);

// min(cgroup quota, CPUs in the affinity mask), at least 1. SWEEP_THREADS, if set to a
// positive integer, wins (the local runner sets it for each child).
int AvailableCpus();

// Memory limit from the cgroup file system at `cgroup_root`: v2 `memory.max`, else v1
// `memory/memory.limit_in_bytes`; 0 when unlimited or absent.
int64_t CgroupMemoryLimit(const std::string& cgroup_root);

// The bytes this process can expect to allocate: the smallest of the cgroup limit, the address
// space limit (ulimit -v) and the machine's MemAvailable. Sizes read from files and specs are
// checked against it before anything that large is allocated.
int64_t AvailableMemory();

}  // namespace sweep
