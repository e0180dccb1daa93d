#include "sweep/run/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>

#include "base/file.h"

extern char** environ;

namespace sweep {
namespace {

std::vector<std::string> BuildEnv(const ChildSpec& spec) {
  std::set<std::string> drop(spec.env_unset.begin(), spec.env_unset.end());
  for (const auto& [k, v] : spec.env) drop.insert(k);
  std::vector<std::string> env;
  for (char** e = environ; e && *e; ++e) {
    std::string_view entry = *e;
    std::string key(entry.substr(0, entry.find('=')));
    if (!drop.count(key)) env.emplace_back(entry);
  }
  for (const auto& [k, v] : spec.env) env.push_back(k + "=" + v);
  return env;
}

std::vector<char*> Pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// Runs in the child between fork and exec: async-signal-safe calls only.
[[noreturn]] void ExecChild(const char* program, char** argv, char** envp, int log_fd,
                            int report_fd, pid_t parent) {
  setpgid(0, 0);
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  if (getppid() != parent) _exit(143);  // the parent died before prctl took effect
  struct sigaction dfl;
  std::memset(&dfl, 0, sizeof(dfl));
  dfl.sa_handler = SIG_DFL;
  for (int sig : {SIGINT, SIGTERM, SIGPIPE, SIGCHLD, SIGHUP, SIGQUIT})
    sigaction(sig, &dfl, nullptr);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  int null_fd = open("/dev/null", O_RDONLY);
  if (null_fd >= 0) dup2(null_fd, 0);
  dup2(log_fd, 1);
  dup2(log_fd, 2);
  execve(program, argv, envp);
  int err = errno;
  ssize_t ignored = write(report_fd, &err, sizeof(err));
  (void)ignored;
  _exit(127);
}

}  // namespace

StatusOr<pid_t> SpawnChild(const ChildSpec& spec) {
  std::vector<std::string> argv_s = {spec.program};
  argv_s.insert(argv_s.end(), spec.args.begin(), spec.args.end());
  std::vector<std::string> env_s = BuildEnv(spec);
  std::vector<char*> argv = Pointers(argv_s), envp = Pointers(env_s);

  int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (spec.append_log ? O_APPEND : O_TRUNC);
  int log_fd = open(spec.log_path.c_str(), flags, 0644);
  if (log_fd < 0) return FromErrno(errno, spec.log_path);
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
    close(log_fd);
    return FromErrno(errno, "pipe");
  }
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid == 0)
    ExecChild(spec.program.c_str(), argv.data(), envp.data(), log_fd, pipe_fds[1], parent);
  int fork_errno = errno;
  close(log_fd);
  close(pipe_fds[1]);
  if (pid < 0) {
    close(pipe_fds[0]);
    return Status::Unavailable(std::string("fork: ") + std::strerror(fork_errno));
  }
  // Also set the group from here so a signal sent right after we return cannot miss it.
  setpgid(pid, pid);
  int child_errno = 0;
  ssize_t n;
  do {
    n = read(pipe_fds[0], &child_errno, sizeof(child_errno));
  } while (n < 0 && errno == EINTR);
  close(pipe_fds[0]);
  if (n == sizeof(child_errno)) {
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return Status::InvalidArgument("cannot run " + spec.program + ": " +
                                   std::strerror(child_errno));
  }
  return pid;
}

void SignalGroup(pid_t pid, int sig) {
  if (pid > 0 && kill(-pid, sig) != 0) kill(pid, sig);
}

std::optional<ChildExit> ReapChild() {
  int status = 0;
  pid_t pid;
  do {
    pid = waitpid(-1, &status, WNOHANG);
  } while (pid < 0 && errno == EINTR);
  if (pid <= 0) return std::nullopt;
  ChildExit out;
  out.pid = pid;
  if (WIFSIGNALED(status)) {
    out.signal = WTERMSIG(status);
    out.code = 128 + out.signal;
  } else {
    out.code = WEXITSTATUS(status);
  }
  return out;
}

std::string LastLine(const std::string& path, size_t max_len) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return "";
  off_t size = lseek(fd, 0, SEEK_END);
  off_t start = std::max<off_t>(0, size - 4096);
  std::string buf(static_cast<size_t>(size - start), '\0');
  ssize_t n = pread(fd, buf.data(), buf.size(), start);
  close(fd);
  if (n <= 0) return "";
  buf.resize(static_cast<size_t>(n));
  while (!buf.empty() && (buf.back() == '\n' || buf.back() == '\r' || buf.back() == ' ')) {
    buf.pop_back();
  }
  size_t nl = buf.find_last_of('\n');
  std::string line = nl == std::string::npos ? buf : buf.substr(nl + 1);
  // Drop colour codes and carriage-return progress a worker may have written.
  size_t cr = line.find_last_of('\r');
  if (cr != std::string::npos) line = line.substr(cr + 1);
  std::string clean;
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\033') {
      while (i < line.size() && !std::isalpha(static_cast<unsigned char>(line[i]))) ++i;
      continue;
    }
    clean += line[i];
  }
  if (clean.size() > max_len) clean = clean.substr(0, max_len) + "...";
  return clean;
}

ProcessResult RunCapture(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                         bool capture_stderr) {
  ProcessResult result;
  int fds[2];
  if (::pipe(fds) != 0) return result;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  if (capture_stderr) posix_spawn_file_actions_adddup2(&actions, fds[1], STDERR_FILENO);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  std::vector<char*> args, envp;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  if (rc != 0) {
    ::close(fds[0]);
    result.output = argv[0] + ": " + std::strerror(rc);
    return result;
  }
  char buf[4096];
  for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    result.output.append(buf, n);
  }
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  return result;
}

}  // namespace sweep
