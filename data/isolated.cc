#include "data/isolated.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "base/file.h"

extern char** environ;

namespace sweep::data {
namespace {

// Reads the child's report until EOF or the deadline; false on timeout.
bool ReadReport(int fd, int timeout_s, std::string* report) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  char buf[65536];
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

// Reads the report of child `pid` from `fd` (closing it), reaps the child and decodes the
// report: the payload when the child's status is ok.
StatusOr<std::string> AwaitReport(pid_t pid, int fd, const std::string& what, int timeout_s) {
  std::string report;
  const bool finished = ReadReport(fd, timeout_s, &report);
  ::close(fd);
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
  if (report.empty() || WEXITSTATUS(wstatus) != 0) {
    return Status::Corruption(what + ": the process reading it ended with exit code " +
                              std::to_string(WEXITSTATUS(wstatus)) + " and no report");
  }
  const auto code = static_cast<StatusCode>(static_cast<unsigned char>(report[0]));
  if (code != StatusCode::kOk) return Status(code, report.substr(1));
  return report.substr(1);
}

}  // namespace

void ReportAndExit(int fd, const Status& s, std::string_view payload) {
  std::string out(1, static_cast<char>(s.code()));
  out += s.ok() ? payload : std::string_view(s.message());
  for (size_t done = 0; done < out.size();) {
    const ssize_t n = ::write(fd, out.data() + done, out.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  ::_exit(0);
}

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
  return AwaitReport(pid, fds[0], what, timeout_s).status();
}

StatusOr<std::string> RunIsolatedProgram(const std::vector<std::string>& argv,
                                         const std::string& what, int timeout_s) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return FromErrno(errno, what + ": pipe");
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  pid_t pid = 0;
  const int rc = ::posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  if (rc != 0) {
    ::close(fds[0]);
    return Status::Internal(what + ": cannot start " + argv[0] + ": " + std::strerror(rc));
  }
  return AwaitReport(pid, fds[0], what, timeout_s);
}

}  // namespace sweep::data
