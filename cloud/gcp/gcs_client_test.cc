#include "cloud/gcp/gcs_client.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include "base/testing.h"

namespace sweep::gcp {
namespace {

TEST(ParseGcsUri, BucketAndKey) {
  auto a = ParseGcsUri("gs://b/some/key.csv");
  ASSERT_OK(a);
  EXPECT_EQ(a->bucket, "b");
  EXPECT_EQ(a->key, "some/key.csv");
  auto root = ParseGcsUri("gs://b");
  ASSERT_OK(root);
  EXPECT_EQ(root->key, "");
  EXPECT_FALSE(ParseGcsUri("gs:///k").ok());
  EXPECT_FALSE(ParseGcsUri("s3://b/k").ok());
}

TEST(GcsConfigFromEnvironment, EmulatorHostWithOrWithoutScheme) {
  ::unsetenv("STORAGE_EMULATOR_HOST");
  EXPECT_EQ(GcsConfigFromEnvironment()->endpoint, "https://storage.googleapis.com");
  ::setenv("STORAGE_EMULATOR_HOST", "127.0.0.1:4443", 1);
  EXPECT_EQ(GcsConfigFromEnvironment()->endpoint, "http://127.0.0.1:4443");
  ::setenv("STORAGE_EMULATOR_HOST", "http://localhost:9023/", 1);
  EXPECT_EQ(GcsConfigFromEnvironment()->endpoint, "http://localhost:9023");
  ::setenv("STORAGE_EMULATOR_HOST", "ftp://x", 1);
  EXPECT_EQ(GcsConfigFromEnvironment().status().code(), StatusCode::kInvalidArgument);
  ::setenv("STORAGE_EMULATOR_HOST", "http://h:1/storage/v1", 1);
  EXPECT_EQ(GcsConfigFromEnvironment().status().code(), StatusCode::kInvalidArgument);
  ::unsetenv("STORAGE_EMULATOR_HOST");
}

// Requests themselves are tested against the loopback JSON API server in
// tests/gcs_server_test.sh and tests/gcs_e2e_test.sh.
TEST(GcsClient, ConnectionRefusedIsTransientAndNamesTheObject) {
  GcsConfig config;
  config.endpoint = "http://127.0.0.1:1";
  config.retry.max_attempts = 1;
  ::setenv("STORAGE_EMULATOR_HOST", "127.0.0.1:1", 1);
  GcsClient client(config, std::make_shared<GoogleCredentials>());
  auto got = client.Get("b", "k/x.csv");
  ::unsetenv("STORAGE_EMULATOR_HOST");
  ASSERT_EQ(got.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(got.status().message().find("gs://b/k/x.csv"), std::string::npos);
}

}  // namespace
}  // namespace sweep::gcp
