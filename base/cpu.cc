#include "base/cpu.h"

#include <sched.h>

#include <cmath>
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

}  // namespace sweep
