#include "cloud/retry.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <random>
#include <thread>

#include "base/log.h"

namespace sweep::cloud {
namespace {

class SteadyClock : public RetryClock {
 public:
  double NowMs() override {
    return std::chrono::duration<double, std::milli>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }
  void SleepMs(double ms) override {
    std::this_thread::sleep_for(std::chrono::duration<double, std::milli>(ms));
  }
};

}  // namespace

RetryPolicy CredentialRetryPolicy() {
  RetryPolicy p;
  p.max_attempts = 3;
  p.base_delay_ms = 400;
  p.max_delay_ms = 2000;
  p.max_total_ms = 10000;
  return p;
}

double BackoffMs(const RetryPolicy& policy, int attempt, SplitMix64Rng& rng) {
  const double exp = std::ldexp(policy.base_delay_ms, std::clamp(attempt - 1, 0, 30));
  const double cap = std::min(policy.max_delay_ms, exp);
  return UniformReal(rng, 0.0, cap);
}

RetryClock* RetryClock::Real() {
  static auto* clock = new SteadyClock();
  return clock;
}

Backoff::Backoff(const RetryPolicy& policy, uint64_t seed, RetryClock* clock)
    : policy_(policy), rng_(seed), clock_(clock), start_ms_(clock->NowMs()) {}

bool Backoff::Next(std::string_view why) {
  if (attempts_ >= policy_.max_attempts) return false;
  const double delay = BackoffMs(policy_, attempts_, rng_);
  if (clock_->NowMs() - start_ms_ + delay > policy_.max_total_ms) return false;
  std::string line(why);
  line += "; retry " + std::to_string(attempts_) + " in " +
          std::to_string(static_cast<int>(delay)) + " ms";
  log::Warn(line);
  clock_->SleepMs(delay);
  slept_ms_ += delay;
  ++attempts_;
  return true;
}

bool Backoff::RetryAfter(const Status& error) {
  return error.code() == StatusCode::kUnavailable && Next(error.message());
}

uint64_t RandomSeed() {
  std::random_device rd;
  return (static_cast<uint64_t>(rd()) << 32) ^ rd();
}

}  // namespace sweep::cloud
