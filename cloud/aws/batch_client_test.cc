#include "cloud/aws/batch_client.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "base/testing.h"

namespace sweep::aws {
namespace {

using nlohmann::json;

TEST(SubmitJobBody, ArrayJobCarriesSizeAndEnvironment) {
  SubmitJobInput in;
  in.job_name = "sweep-1";
  in.job_queue = "q";
  in.job_definition = "d:3";
  in.array_size = 7;
  in.environment = {{"SWEEP_PARAMS", "s3://b/spec.yml"}, {"SWEEP_STORAGE", "/storage"}};
  json body = SubmitJobBody(in);
  EXPECT_EQ(body, json::parse(R"({
    "jobName": "sweep-1", "jobQueue": "q", "jobDefinition": "d:3",
    "arrayProperties": {"size": 7},
    "containerOverrides": {"environment": [
      {"name": "SWEEP_PARAMS", "value": "s3://b/spec.yml"},
      {"name": "SWEEP_STORAGE", "value": "/storage"}]}})"));
}

TEST(SubmitJobBody, PlainJobHasNoArrayProperties) {
  SubmitJobInput in;
  in.job_name = "n";
  in.job_queue = "q";
  in.job_definition = "d";
  in.environment = {{"SWEEP_INDEX", "0"}};
  in.tags = {{"sweep:name", "n"}};
  json body = SubmitJobBody(in);
  EXPECT_FALSE(body.contains("arrayProperties"));
  EXPECT_EQ(body["containerOverrides"]["environment"][0]["name"], "SWEEP_INDEX");
  EXPECT_EQ(body["tags"]["sweep:name"], "n");
  EXPECT_EQ(body["propagateTags"], true);
}

TEST(CheckJobName, FollowsBatchRules) {
  EXPECT_OK(CheckJobName("sweep-1a2b_3"));
  EXPECT_FALSE(CheckJobName("").ok());
  EXPECT_FALSE(CheckJobName("-x").ok());
  EXPECT_FALSE(CheckJobName("a.b").ok());
  EXPECT_FALSE(CheckJobName(std::string(129, 'a')).ok());
  EXPECT_OK(CheckJobName(std::string(128, 'a')));
}

// Expected values from botocore 1.29.27 SigV4Auth("batch", "us-east-1") for the same request
// (tests/batch_submit_test.sh recomputes a live one).
TEST(SignedBatchRequest, MatchesBotocore) {
  const std::string body =
      R"({"jobName":"sweep-1","jobQueue":"q","jobDefinition":"d","arrayProperties":{"size":7}})";
  aws::AwsCredentials creds{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""};
  BatchEndpoint endpoint{"https://batch.us-east-1.amazonaws.com", "us-east-1"};
  cloud::HttpRequest req =
      SignedBatchRequest(endpoint, "/v1/submitjob", body, creds, "20130524T000000Z");
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.url, "https://batch.us-east-1.amazonaws.com/v1/submitjob");
  EXPECT_EQ(req.body, body);
  std::string auth;
  for (const auto& [k, v] : req.headers) {
    if (k == "authorization" || k == "Authorization") auth = v;  // names are case-insensitive
  }
  EXPECT_EQ(
      auth,
      "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/batch/aws4_request, "
      "SignedHeaders=content-type;host;x-amz-date, "
      "Signature=01b265f86498c058d7348c6f6b1300863b0c3a1bc61c5de89fffed6795e9d5d6");
}

TEST(ParseSubmitJobResponse, ReadsIdsAndRejectsJunk) {
  auto job = ParseSubmitJobResponse(R"({"jobArn":"arn:x","jobName":"n","jobId":"abc-123"})");
  ASSERT_OK(job);
  EXPECT_EQ(job->job_id, "abc-123");
  EXPECT_EQ(job->job_name, "n");
  EXPECT_EQ(job->job_arn, "arn:x");
  EXPECT_FALSE(ParseSubmitJobResponse("<html>").ok());
  EXPECT_FALSE(ParseSubmitJobResponse(R"({"jobName":"n"})").ok());
}

TEST(ResolveBatchEndpoint, FlagRegionEnvEndpointAndDefault) {
  ::setenv("AWS_CONFIG_FILE", "/nonexistent/config", 1);
  ::unsetenv("AWS_ENDPOINT_URL");
  ::unsetenv("AWS_ENDPOINT_URL_BATCH");
  ::setenv("AWS_REGION", "eu-west-1", 1);
  auto e = ResolveBatchEndpoint("");
  ASSERT_OK(e);
  EXPECT_EQ(e->region, "eu-west-1");
  EXPECT_EQ(e->url, "https://batch.eu-west-1.amazonaws.com");
  e = ResolveBatchEndpoint("us-west-2");
  ASSERT_OK(e);
  EXPECT_EQ(e->url, "https://batch.us-west-2.amazonaws.com");
  ::setenv("AWS_ENDPOINT_URL_BATCH", "http://127.0.0.1:9000/", 1);
  e = ResolveBatchEndpoint("");
  ASSERT_OK(e);
  EXPECT_EQ(e->url, "http://127.0.0.1:9000");
  ::setenv("AWS_ENDPOINT_URL_BATCH", "ftp://x", 1);
  EXPECT_FALSE(ResolveBatchEndpoint("").ok());
  ::unsetenv("AWS_ENDPOINT_URL_BATCH");
  ::unsetenv("AWS_REGION");
  ::unsetenv("AWS_DEFAULT_REGION");
  EXPECT_FALSE(ResolveBatchEndpoint("").ok());
  ::unsetenv("AWS_CONFIG_FILE");
}

}  // namespace
}  // namespace sweep::aws
