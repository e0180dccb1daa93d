// Running a check of untrusted bytes in a child process. libhdf5 1.10 itself crashes (segfaults,
// heap overflows) or hangs on some crafted files, below anything our code can check: the HDF5
// dataset reader first reads the file in a forked child, and only when the child ends cleanly
// reads it again in this process. A crash or a hang becomes one Corruption line (exit 2),
// never a signal that takes the worker (or a server) down.
#pragma once

#include <functional>
#include <string>

#include "base/status.h"

namespace sweep::data {

// Runs `check` in a forked child and returns its Status (code and message). When the child dies
// by a signal: Corruption "what: the HDF5 library crashed reading it (signal 11: Segmentation
// fault); the file is damaged or crafted"; when it runs past `timeout_s`: it is killed and
// Corruption "...: reading it did not finish in N s". Fork failing: Unavailable.
// Requires: no other thread of this process is inside the library `check` uses (its locks
// would be held forever in the child).
Status RunIsolated(const std::function<Status()>& check, const std::string& what, int timeout_s);

}  // namespace sweep::data
