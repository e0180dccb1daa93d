#include "sweep/run/worker_path.h"

#include <gtest/gtest.h>
#include <stdlib.h>

namespace sweep {
namespace {

TEST(FindWorker, HereChecksTheFlagAndTheVariable) {
  EXPECT_EQ(*FindWorker("/bin/sh", WorkerHost::kHere), "/bin/sh");
  StatusOr<std::string> bad = FindWorker("/no/such/worker", WorkerHost::kHere);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kNotFound);
  EXPECT_NE(bad.status().message().find("--worker /no/such/worker"), std::string::npos);
  ::setenv("SWEEP_WORKER", "/no/such/env-worker", 1);
  bad = FindWorker("", WorkerHost::kHere);
  ::unsetenv("SWEEP_WORKER");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("SWEEP_WORKER=/no/such/env-worker"), std::string::npos);
}

TEST(FindWorker, OnNodesTakesNodePathsAsGivenAndFallsBackToPath) {
  EXPECT_EQ(*FindWorker("/opt/on/node/sweep-worker", WorkerHost::kOnNodes),
            "/opt/on/node/sweep-worker");
  ::setenv("SWEEP_WORKER", "/node/bin/sweep-worker", 1);
  EXPECT_EQ(*FindWorker("", WorkerHost::kOnNodes), "/node/bin/sweep-worker");
  ::unsetenv("SWEEP_WORKER");
  // The test binary has no sweep-worker beside it: the node's PATH decides.
  EXPECT_EQ(*FindWorker("", WorkerHost::kOnNodes), "sweep-worker");
}

}  // namespace
}  // namespace sweep
