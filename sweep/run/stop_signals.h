// Ctrl-C and SIGTERM for `sweep run`'s loop (scheduler.cc): the first one stops the workers
// gracefully, a second one kills them. A second signal within 200 ms of the first is the same
// Ctrl-C delivered twice (the terminal and a wrapper script that forwards it), not a second one.
#pragma once

#include <signal.h>

#include <string>

namespace sweep {

// While an object lives, SIGINT and SIGTERM are caught (the handlers it replaced come back when
// it goes). One at a time.
class StopSignals {
 public:
  StopSignals();
  ~StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  // The first signal caught since the object was made; 0 = none.
  static int First();
  // How many distinct stop requests arrived (0, 1, 2, ...).
  static int Count();

 private:
  struct sigaction old_int_ = {}, old_term_ = {};
};

// "SIGINT", "SIGTERM", else "signal N".
std::string SignalName(int sig);

}  // namespace sweep
