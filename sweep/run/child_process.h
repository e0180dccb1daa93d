// Child processes for `sweep run`: one worker per row, each in its own process group so that
// stopping it also stops anything it started, and a terminal's Ctrl-C reaches only `sweep`
// (which then stops the children in order). Linux: children also get SIGTERM if `sweep` dies.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"

namespace sweep {

struct ChildSpec {
  std::string program;                                   // path of the executable
  std::vector<std::string> args;                         // argv[1..]
  std::vector<std::pair<std::string, std::string>> env;  // set on top of this process's env
  std::vector<std::string> env_unset;                    // removed from the inherited env
  std::string log_path;                                  // stdout and stderr go here
  bool append_log = false;                               // else truncated
};

// Starts the child (stdin /dev/null). Errors: Unavailable when fork fails or the log cannot be
// opened; InvalidArgument when the program cannot be executed (reported by the child).
StatusOr<pid_t> SpawnChild(const ChildSpec& spec);

// Sends `sig` to the child's process group. Only for children not yet reaped.
void SignalGroup(pid_t pid, int sig);

struct ChildExit {
  pid_t pid = 0;
  int code = 0;    // exit status, or 128 + signal number when killed by a signal
  int signal = 0;  // the killing signal, 0 when it exited
};

// Reaps one finished child without blocking; nullopt when none has finished.
std::optional<ChildExit> ReapChild();

struct ProcessResult {
  int exit_code = -1;  // -1 when it could not start or was killed by a signal
  std::string output;  // stdout (and stderr when asked); the spawn error when it did not start
};

// Runs argv[0] from PATH with exactly `env` ("NAME=value" entries), waits for it and returns
// its exit code and stdout (and stderr if asked). For short commands (squeue, scontrol).
ProcessResult RunCapture(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                         bool capture_stderr);

// The last non-empty line of a (log) file, at most `max_len` bytes; "" when none.
std::string LastLine(const std::string& path, size_t max_len = 300);

}  // namespace sweep
