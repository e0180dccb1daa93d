#include "data/isolated.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "base/file.h"

namespace sweep::data {
namespace {

// The child's end: one byte of StatusCode, then the message; then _exit, skipping atexit
// handlers (HDF5's would close the parent's handles a second time).
[[noreturn]] void ReportAndExit(int fd, const Status& s) {
  std::string out(1, static_cast<char>(s.code()));
  out += s.message();
  for (size_t done = 0; done < out.size();) {
    const ssize_t n = ::write(fd, out.data() + done, out.size() - done);
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  ::_exit(0);
}

// Reads the child's report until EOF or the deadline; false on timeout.
bool ReadReport(int fd, int timeout_s, std::string* report) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  char buf[4096];
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return ready < 0;  // an error: take what came
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return true;
    report->append(buf, static_cast<size_t>(n));
  }
}

}  // namespace

Status RunIsolated(const std::function<Status()>& check, const std::string& what, int timeout_s) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return FromErrno(errno, what + ": pipe");
  const pid_t pid = ::fork();
  if (pid < 0) {
    const int err = errno;
    ::close(fds[0]);
    ::close(fds[1]);
    return FromErrno(err, what + ": fork");
  }
  if (pid == 0) {
    ::close(fds[0]);
    ReportAndExit(fds[1], check());
  }
  ::close(fds[1]);
  std::string report;
  const bool finished = ReadReport(fds[0], timeout_s, &report);
  ::close(fds[0]);
  if (!finished) ::kill(pid, SIGKILL);
  int wstatus = 0;
  while (::waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
  }
  if (!finished) {
    return Status::Corruption(what + ": reading it did not finish in " + std::to_string(timeout_s) +
                              " s (the HDF5 library hung on it)");
  }
  if (WIFSIGNALED(wstatus)) {
    const int sig = WTERMSIG(wstatus);
    return Status::Corruption(what + ": the HDF5 library crashed reading it (signal " +
                              std::to_string(sig) + ": " + ::strsignal(sig) +
                              "); the file is damaged or crafted");
  }
  if (report.empty()) return Status::Internal(what + ": the checking process reported nothing");
  const auto code = static_cast<StatusCode>(static_cast<unsigned char>(report[0]));
  if (code == StatusCode::kOk) return Status::Ok();
  return Status(code, report.substr(1));
}

}  // namespace sweep::data
