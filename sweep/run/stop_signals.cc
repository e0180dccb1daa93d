#include "sweep/run/stop_signals.h"

#include <time.h>

#include <atomic>
#include <cstdint>

namespace sweep {
namespace {

volatile sig_atomic_t g_signal = 0;
volatile sig_atomic_t g_signal_count = 0;
std::atomic<int64_t> g_first_signal_ns{0};  // lock-free: safe in a handler
static_assert(std::atomic<int64_t>::is_always_lock_free);

constexpr int64_t kSameSignalNs = 200'000'000;

void OnSignal(int sig) {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);  // async-signal-safe
  const int64_t now = ts.tv_sec * 1'000'000'000LL + ts.tv_nsec;
  if (g_signal == 0) {
    g_signal = sig;
    g_first_signal_ns = now;
    g_signal_count = 1;
  } else if (now - g_first_signal_ns.load() >= kSameSignalNs) {
    g_signal_count = g_signal_count + 1;
  }
}

}  // namespace

StopSignals::StopSignals() {
  g_signal = 0;
  g_signal_count = 0;
  struct sigaction sa = {};
  sa.sa_handler = OnSignal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, &old_int_);
  sigaction(SIGTERM, &sa, &old_term_);
}

StopSignals::~StopSignals() {
  sigaction(SIGINT, &old_int_, nullptr);
  sigaction(SIGTERM, &old_term_, nullptr);
}

int StopSignals::First() { return g_signal; }
int StopSignals::Count() { return g_signal_count; }

std::string SignalName(int sig) {
  return sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "signal " + std::to_string(sig);
}

}  // namespace sweep
