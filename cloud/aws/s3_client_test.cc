#include "cloud/aws/s3_client.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "base/testing.h"

namespace sweep::aws {
namespace {

TEST(Backoff, BoundedByCapAndGrowing) {
  RetryPolicy p;
  p.base_delay_ms = 100;
  p.max_delay_ms = 1000;
  SplitMix64Rng rng(1);
  for (int attempt = 1; attempt < 100; ++attempt) {
    const double cap = std::min(1000.0, 100.0 * (1 << std::min(attempt - 1, 20)));
    for (int i = 0; i < 50; ++i) {
      double d = BackoffMs(p, attempt, rng);
      EXPECT_GE(d, 0);
      EXPECT_LE(d, cap);
    }
  }
}

TEST(Backoff, TotalOfMaxAttemptsIsBounded) {
  RetryPolicy p;  // defaults
  SplitMix64Rng rng(7);
  double total = 0;
  for (int attempt = 1; attempt < p.max_attempts; ++attempt) total += BackoffMs(p, attempt, rng);
  EXPECT_LE(total, p.max_delay_ms * p.max_attempts);
}

TEST(ParseS3Uri, BucketAndKey) {
  auto u = ParseS3Uri("s3://b-1/sweeps/x/params.yml");
  ASSERT_OK(u);
  EXPECT_EQ(u->bucket, "b-1");
  EXPECT_EQ(u->key, "sweeps/x/params.yml");
  EXPECT_EQ(ParseS3Uri("s3://bucket")->key, "");
  EXPECT_EQ(ParseS3Uri("s3://b/k")->bucket, "b");
  EXPECT_FALSE(ParseS3Uri("s3:/b/k").ok());
  EXPECT_FALSE(ParseS3Uri("s3://b!/k").ok());
  EXPECT_FALSE(ParseS3Uri("/local/path").ok());
}

class S3ConfigEnv : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* v : {"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL_S3",
                          "AWS_ENDPOINT_URL", "AWS_S3_FORCE_PATH_STYLE", "AWS_PROFILE"}) {
      unsetenv(v);
    }
    setenv("AWS_CONFIG_FILE", "/nonexistent/sweep/config", 1);
  }
};

TEST_F(S3ConfigEnv, EndpointAndRegionPrecedence) {
  setenv("AWS_DEFAULT_REGION", "eu-west-1", 1);
  setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9000/", 1);
  auto c = S3ConfigFromEnvironment();
  ASSERT_OK(c);
  EXPECT_EQ(c->region, "eu-west-1");
  EXPECT_EQ(c->endpoint, "http://127.0.0.1:9000");
  setenv("AWS_REGION", "us-west-2", 1);
  setenv("AWS_ENDPOINT_URL_S3", "https://s3.example.com", 1);
  setenv("AWS_S3_FORCE_PATH_STYLE", "true", 1);
  c = S3ConfigFromEnvironment();
  ASSERT_OK(c);
  EXPECT_EQ(c->region, "us-west-2");
  EXPECT_EQ(c->endpoint, "https://s3.example.com");
  EXPECT_TRUE(c->force_path_style);
  setenv("AWS_ENDPOINT_URL_S3", "ftp://x", 1);
  EXPECT_EQ(S3ConfigFromEnvironment().status().code(), StatusCode::kInvalidArgument);
}

TEST_F(S3ConfigEnv, DefaultsToUsEast1AndAws) {
  auto c = S3ConfigFromEnvironment();
  ASSERT_OK(c);
  EXPECT_EQ(c->region, "us-east-1");
  EXPECT_EQ(c->endpoint, "");
  EXPECT_FALSE(c->force_path_style);
}

}  // namespace
}  // namespace sweep::aws
