// Reading untrusted bytes in a child process. libhdf5 1.10 itself crashes (segfaults, heap
// overflows) or hangs on some crafted files, below anything our code can check. Two ways:
// - RunIsolated forks: the worker's HDF5 dataset reader first reads the file in a forked child,
//   and only when the child ends cleanly reads it again in this process (single-threaded).
// - RunIsolatedProgram spawns a fresh program (posix_spawn, safe in a multi-threaded server) that
//   reads the file and hands back what it read in a format we define: `sweep serve` and
//   `sweep predict` never run libhdf5 on a model.h5 in their own process
//   (storage/model_isolated.h).
// Either way a crash or a hang becomes one Corruption line (exit 2), never a signal that takes
// the worker or a server down.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace sweep::data {

// Runs `check` in a forked child and returns its Status (code and message). When the child dies
// by a signal: Corruption "what: the HDF5 library crashed reading it (signal 11: Segmentation
// fault); the file is damaged or crafted"; when it runs past `timeout_s`: it is killed and
// Corruption "...: reading it did not finish in N s". Fork failing: Unavailable.
// Requires: no other thread of this process is inside the library `check` uses (its locks
// would be held forever in the child).
Status RunIsolated(const std::function<Status()>& check, const std::string& what, int timeout_s);

// The child's end of both: writes one byte of `s`'s StatusCode, then `payload` when `s` is ok or
// the message when not, to `fd`; then _exit(0), skipping atexit handlers (HDF5's would close the
// parent's handles a second time in a forked child).
[[noreturn]] void ReportAndExit(int fd, const Status& s, std::string_view payload = {});

// Spawns `argv` (argv[0] a path) with stdout to a pipe and reads what it reports with
// ReportAndExit(STDOUT_FILENO, ...): its payload when the status is ok, else that status. A
// signal, a timeout or an exit without a report map to Corruption as in RunIsolated; a program
// that cannot start: Internal.
StatusOr<std::string> RunIsolatedProgram(const std::vector<std::string>& argv,
                                         const std::string& what, int timeout_s);

}  // namespace sweep::data
