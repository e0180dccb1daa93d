#include "base/cpu.h"

#include <sched.h>
#include <sys/resource.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

namespace sweep {
namespace {

bool ReadFirstLine(const std::string& path, std::string* line) {
  std::ifstream in(path);
  return in && std::getline(in, *line);
}

int QuotaToCpus(double quota, double period) {
  if (quota <= 0 || period <= 0) return 0;
  return static_cast<int>(std::ceil(quota / period - 1e-9));
}

}  // namespace

int CgroupCpuQuota(const std::string& cgroup_root) {
  std::string line;
  if (ReadFirstLine(cgroup_root + "/cpu.max", &line)) {
    std::istringstream in(line);
    std::string quota;
    double period = 0;
    in >> quota >> period;
    if (quota == "max") return 0;
    return QuotaToCpus(std::atof(quota.c_str()), period);
  }
  std::string quota, period;
  if (ReadFirstLine(cgroup_root + "/cpu/cpu.cfs_quota_us", &quota) &&
      ReadFirstLine(cgroup_root + "/cpu/cpu.cfs_period_us", &period)) {
    return QuotaToCpus(std::atof(quota.c_str()), std::atof(period.c_str()));
  }
  return 0;
}

int AvailableCpus() {
  if (const char* env = std::getenv("SWEEP_THREADS")) {
    int n = std::atoi(env);
    if (n > 0) return n;
  }
  int cpus = 0;
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0) cpus = CPU_COUNT(&set);
  if (cpus <= 0) cpus = static_cast<int>(std::thread::hardware_concurrency());
  int quota = CgroupCpuQuota("/sys/fs/cgroup");
  if (quota > 0 && (cpus <= 0 || quota < cpus)) cpus = quota;
  return cpus > 0 ? cpus : 1;
}

int64_t CgroupMemoryLimit(const std::string& cgroup_root) {
  std::string line;
  if (!ReadFirstLine(cgroup_root + "/memory.max", &line) &&
      !ReadFirstLine(cgroup_root + "/memory/memory.limit_in_bytes", &line)) {
    return 0;
  }
  char* end = nullptr;
  const long long v = std::strtoll(line.c_str(), &end, 10);
  // v1 says "unlimited" with a huge page-rounded number.
  return end != line.c_str() && v > 0 && v < (int64_t{1} << 60) ? v : 0;
}

int64_t AvailableMemory() {
  int64_t best = INT64_MAX;
  if (int64_t cgroup = CgroupMemoryLimit("/sys/fs/cgroup"); cgroup > 0) best = cgroup;
  struct rlimit rl {};
  if (::getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
    best = std::min<int64_t>(best, static_cast<int64_t>(rl.rlim_cur));
  }
  std::ifstream meminfo("/proc/meminfo");
  std::string key;
  int64_t kb = 0;
  std::string unit;
  while (meminfo >> key >> kb >> unit) {
    if (key == "MemAvailable:") best = std::min<int64_t>(best, kb * 1024);
  }
  return best;
}

}  // namespace sweep
