#include "cloud/aws/retry.h"

#include <gtest/gtest.h>

#include <vector>

#include "base/testing.h"

namespace sweep::aws {
namespace {

TEST(FromHttp, WhichAnswersAreTransient) {
  struct Case {
    long status;
    const char* code;
    StatusCode want;
  };
  const Case cases[] = {
      {500, "", StatusCode::kUnavailable},
      {502, "", StatusCode::kUnavailable},
      {503, "SlowDown", StatusCode::kUnavailable},
      {504, "", StatusCode::kUnavailable},
      {500, "InternalError", StatusCode::kUnavailable},
      {429, "", StatusCode::kUnavailable},
      {400, "Throttling", StatusCode::kUnavailable},
      {400, "ThrottlingException", StatusCode::kUnavailable},
      {400, "TooManyRequestsException", StatusCode::kUnavailable},
      {400, "RequestLimitExceeded", StatusCode::kUnavailable},
      {400, "RequestTimeout", StatusCode::kUnavailable},
      {403, "RequestTimeTooSkewed", StatusCode::kUnavailable},
      {400, "IDPCommunicationError", StatusCode::kUnavailable},
      {400, "", StatusCode::kInvalidArgument},
      {400, "ClientException", StatusCode::kInvalidArgument},
      {400, "ExpiredToken", StatusCode::kInvalidArgument},
      {400, "invalid_grant", StatusCode::kInvalidArgument},
      {401, "", StatusCode::kInvalidArgument},
      {403, "AccessDenied", StatusCode::kInvalidArgument},
      {403, "SignatureDoesNotMatch", StatusCode::kInvalidArgument},
      {404, "NoSuchKey", StatusCode::kInvalidArgument},
      {409, "", StatusCode::kInvalidArgument},
      {301, "PermanentRedirect", StatusCode::kInvalidArgument},
  };
  for (const Case& c : cases) {
    const Status s = FromHttp(c.status, c.code, "what: HTTP x");
    EXPECT_EQ(s.code(), c.want) << c.status << " " << c.code;
    EXPECT_EQ(s.message(), "what: HTTP x");
  }
}

TEST(IsThrottling, RefusedBeforeRunning) {
  EXPECT_TRUE(IsThrottling(429, ""));
  EXPECT_TRUE(IsThrottling(400, "TooManyRequestsException"));
  EXPECT_TRUE(IsThrottling(503, "SlowDown"));
  EXPECT_FALSE(IsThrottling(500, ""));  // may have run
  EXPECT_FALSE(IsThrottling(503, ""));
  EXPECT_FALSE(IsThrottling(400, "RequestTimeout"));
}

// Time passes only when Backoff sleeps.
class FakeClock : public RetryClock {
 public:
  double NowMs() override { return now_ms; }
  void SleepMs(double ms) override {
    now_ms += ms;
    sleeps.push_back(ms);
  }
  double now_ms = 1000;
  std::vector<double> sleeps;
};

TEST(Backoff, BoundedAttempts) {
  RetryPolicy p;
  p.max_attempts = 4;
  FakeClock clock;
  Backoff b(p, 1, &clock);
  const Status busy = Status::Unavailable("busy");
  int retries = 0;
  while (b.RetryAfter(busy)) ++retries;
  EXPECT_EQ(retries, 3);
  EXPECT_EQ(b.attempts(), 4);
  EXPECT_EQ(clock.sleeps.size(), 3u);
}

TEST(Backoff, BoundedTotalTime) {
  RetryPolicy p;
  p.max_attempts = 1000;
  p.base_delay_ms = 1000;
  p.max_delay_ms = 1000;
  p.max_total_ms = 5000;
  FakeClock clock;
  Backoff b(p, 3, &clock);
  while (b.Next("busy")) {
  }
  EXPECT_LE(clock.now_ms - 1000, p.max_total_ms);
  EXPECT_DOUBLE_EQ(b.slept_ms(), clock.now_ms - 1000);
  EXPECT_GT(b.attempts(), 3);  // pauses average 500 ms: several fit
  EXPECT_LT(b.attempts(), 1000);
}

TEST(Backoff, TimeSpentElsewhereCounts) {
  RetryPolicy p;
  p.max_total_ms = 100;
  FakeClock clock;
  Backoff b(p, 3, &clock);
  clock.now_ms += 100;  // the first attempt took the whole budget
  EXPECT_FALSE(b.Next("slow"));
  EXPECT_TRUE(clock.sleeps.empty());
}

TEST(Backoff, OnlyUnavailableIsRetried) {
  FakeClock clock;
  Backoff b(RetryPolicy{}, 1, &clock);
  EXPECT_FALSE(b.RetryAfter(Status::InvalidArgument("403")));
  EXPECT_FALSE(b.RetryAfter(Status::NotFound("404")));
  EXPECT_TRUE(b.RetryAfter(Status::Unavailable("503")));
  EXPECT_EQ(b.attempts(), 2);
}

TEST(Backoff, JitterWithinBoundsAndSeeded) {
  RetryPolicy p;
  p.max_attempts = 8;
  p.base_delay_ms = 100;
  p.max_delay_ms = 1000;
  auto run = [&](uint64_t seed) {
    FakeClock clock;
    Backoff b(p, seed, &clock);
    while (b.Next("x")) {
    }
    return clock.sleeps;
  };
  const std::vector<double> a = run(42);
  ASSERT_EQ(a.size(), 7u);
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_GE(a[i], 0);
    EXPECT_LE(a[i], std::min(1000.0, 100.0 * (1 << i))) << i;
  }
  EXPECT_EQ(run(42), a);  // same seed, same pauses
  EXPECT_NE(run(43), a);
}

TEST(WithRetries, StopsAtSuccessOrPermanentError) {
  RetryPolicy p;
  p.base_delay_ms = 0.01;
  int calls = 0;
  StatusOr<int> r = WithRetries(p, [&]() -> StatusOr<int> {
    if (++calls < 3) return Status::Unavailable("busy");
    return 7;
  });
  ASSERT_OK(r);
  EXPECT_EQ(*r, 7);
  EXPECT_EQ(calls, 3);
  calls = 0;
  r = WithRetries(p, [&]() -> StatusOr<int> {
    ++calls;
    return Status::InvalidArgument("no");
  });
  EXPECT_EQ(calls, 1);
  calls = 0;
  r = WithRetries(p, [&]() -> StatusOr<int> {
    ++calls;
    return Status::Unavailable("always");
  });
  EXPECT_EQ(calls, p.max_attempts);
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
}

TEST(CredentialRetryPolicy, ThreeAttemptsWithinTenSeconds) {
  const RetryPolicy p = CredentialRetryPolicy();
  EXPECT_EQ(p.max_attempts, 3);
  EXPECT_LE(p.max_total_ms, 10000);
}

}  // namespace
}  // namespace sweep::aws
