#include "sweep/run/worker_path.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <string_view>

#include "base/strings.h"

namespace sweep {
namespace {

constexpr const char* kWorkerName = "sweep-worker";

bool IsExecutable(const std::string& path) {
  struct stat st;
  return !path.empty() && ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
         ::access(path.c_str(), X_OK) == 0;
}

// This program's folder ("" when /proc/self/exe cannot be read).
std::string SelfDir() {
  char self[4096];
  ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) return "";
  std::string dir(self, n);
  dir.resize(dir.rfind('/'));
  return dir;
}

std::string RealPath(const std::string& path) {
  char* real = ::realpath(path.c_str(), nullptr);
  std::string out = real != nullptr ? real : path;
  std::free(real);
  return out;
}

std::string SearchPath() {
  std::string_view rest = GetEnv("PATH");
  while (!rest.empty()) {
    size_t colon = rest.find(':');
    std::string dir(rest.substr(0, colon));
    std::string candidate = (dir.empty() ? "." : dir) + "/" + kWorkerName;
    if (IsExecutable(candidate)) return candidate;
    if (colon == std::string_view::npos) break;
    rest.remove_prefix(colon + 1);
  }
  return "";
}

}  // namespace

StatusOr<std::string> FindWorker(const std::string& flag, WorkerHost host) {
  const bool here = host == WorkerHost::kHere;
  if (!flag.empty()) {
    if (!here || IsExecutable(flag)) return flag;
    return Status::NotFound("--worker " + flag + ": not an executable file");
  }
  if (std::string env = GetEnv("SWEEP_WORKER"); !env.empty()) {
    if (!here || IsExecutable(env)) return env;
    return Status::NotFound("SWEEP_WORKER=" + env + ": not an executable file");
  }
  std::string looked;
  if (std::string dir = SelfDir(); !dir.empty()) {
    for (const std::string& candidate :
         {dir + "/" + kWorkerName, dir + "/../worker/" + kWorkerName}) {
      if (IsExecutable(candidate)) return RealPath(candidate);
      looked += candidate + ", ";
    }
  }
  if (!here) return std::string(kWorkerName);
  if (std::string found = SearchPath(); !found.empty()) return found;
  return Status::NotFound("sweep-worker not found (looked at " + looked +
                          "and PATH); pass --worker PATH or set SWEEP_WORKER");
}

}  // namespace sweep
