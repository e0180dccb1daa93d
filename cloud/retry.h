// Backoff for every cloud client (AWS and Google): exponential with full jitter, bounded in
// attempts AND in total time. What counts as transient is each provider's decision
// (cloud/aws/retry.h FromHttp, cloud/gcp/gcs_client.cc); how long to wait is decided here.
// Thread-safety: functions are thread-safe; one Backoff per call (not shared between threads).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/random.h"
#include "base/status.h"

namespace sweep::cloud {

struct RetryPolicy {
  int max_attempts = 6;          // first try included
  double base_delay_ms = 200;    // the first backoff is drawn from [0, base]
  double max_delay_ms = 20000;   // cap on one backoff
  double max_total_ms = 120000;  // no pause may end later than this after the first attempt
};

// For credential endpoints (AWS STS, SSO, container, IMDS; Google's token endpoint and metadata
// server): every program start waits on them, so 3 attempts within 10 s.
RetryPolicy CredentialRetryPolicy();

// Full-jitter backoff before retry `attempt` (1 = the first retry): uniform in
// [0, min(max_delay_ms, base_delay_ms * 2^(attempt-1))].
double BackoffMs(const RetryPolicy& policy, int attempt, SplitMix64Rng& rng);

// Time for Backoff; tests pass a fake whose SleepMs advances NowMs.
class RetryClock {
 public:
  virtual ~RetryClock() = default;
  virtual double NowMs() = 0;
  virtual void SleepMs(double ms) = 0;
  static RetryClock* Real();  // steady_clock and sleep_for; never deleted
};

// The retry state of one call. Requires: `clock` outlives the Backoff.
class Backoff {
 public:
  Backoff(const RetryPolicy& policy, uint64_t seed, RetryClock* clock = RetryClock::Real());

  // After a failed attempt: true, having logged `why` and slept the jittered pause, when fewer
  // than max_attempts attempts have run and the pause ends within max_total_ms of the start.
  bool Next(std::string_view why);
  // Next(error.message()) when `error` is Unavailable; false for any other code.
  bool RetryAfter(const Status& error);

  int attempts() const { return attempts_; }  // attempts made so far (1 before any retry)
  double slept_ms() const { return slept_ms_; }

 private:
  RetryPolicy policy_;
  SplitMix64Rng rng_;
  RetryClock* clock_;
  double start_ms_;
  int attempts_ = 1;
  double slept_ms_ = 0;
};

// A seed for Backoff from std::random_device (jitter must differ between processes).
uint64_t RandomSeed();

// Calls `attempt` (returning StatusOr<T>) until it succeeds, fails with another code than
// Unavailable, or `policy` is spent; returns the last result.
template <typename F>
auto WithRetries(const RetryPolicy& policy, F&& attempt) -> decltype(attempt()) {
  Backoff backoff(policy, RandomSeed());
  for (;;) {
    auto result = attempt();
    if (result.ok() || !backoff.RetryAfter(result.status())) return result;
  }
}

}  // namespace sweep::cloud
