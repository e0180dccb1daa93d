// The AWS Batch SubmitJob call: the request body, the endpoint, and sending it signed with
// cloud/aws/sigv4.h over cloud/http.h (no AWS CLI, no SDK).
//
// Request: POST {endpoint}/v1/submitjob, Content-Type: application/json, the body below,
// SigV4 service "batch" signing host, content-type and x-amz-date (+ the session token).
// Endpoint: config.h's for "batch" (AWS_ENDPOINT_URL_BATCH, AWS_ENDPOINT_URL, the profile's
// endpoint_url, else https://batch.{region}.amazonaws.com). Region: the --region flag, else
// config.h's (AWS_REGION, AWS_DEFAULT_REGION, the profile's region); none is an error (a job
// in the wrong region is worse than no job). Credentials: cloud/aws/credentials.h's chain.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"
#include "cloud/aws/credentials.h"
#include "cloud/http.h"

namespace sweep::aws {

struct SubmitJobInput {
  std::string job_name;        // 1..128 of [A-Za-z0-9_-], first alphanumeric
  std::string job_queue;       // name or ARN
  std::string job_definition;  // name, name:revision or ARN
  int array_size = 0;          // 2..10,000, or 0 for a plain job (no arrayProperties)
  std::vector<std::pair<std::string, std::string>> environment;  // containerOverrides
  std::vector<std::pair<std::string, std::string>> tags;         // needs IAM batch:TagResource
};

// The SubmitJob request body (keys as in the Batch API). Pure; checks nothing.
nlohmann::json SubmitJobBody(const SubmitJobInput& input);

// Errors: InvalidArgument naming the rule the name breaks.
Status CheckJobName(const std::string& name);

struct BatchEndpoint {
  std::string url;  // "https://batch.eu-west-1.amazonaws.com", "http://127.0.0.1:8080"
  std::string region;
};

// `region` (from a flag) wins when not empty. Errors: InvalidArgument without a region or for
// an endpoint that is not http(s)://host[:port].
StatusOr<BatchEndpoint> ResolveBatchEndpoint(const std::string& region);

// The signed HTTP request for `body` at `path` ("/v1/submitjob"). Pure; `amz_date` as in
// aws::AmzDate. `body` must outlive the request (it is referenced, not copied).
cloud::HttpRequest SignedBatchRequest(const BatchEndpoint& endpoint, const std::string& path,
                                      const std::string& body,
                                      const aws::AwsCredentials& credentials,
                                      const std::string& amz_date);

struct SubmittedJob {
  std::string job_id;
  std::string job_name;
  std::string job_arn;
};

// Parses a SubmitJob answer ({"jobArn", "jobName", "jobId"}). Errors: Corruption.
StatusOr<SubmittedJob> ParseSubmitJobResponse(const std::string& text);

// One connection to the Batch API. SubmitJob is not idempotent (a retry after a lost answer
// could start the array twice): it is sent again only when throttled (429,
// TooManyRequestsException: refused before it ran), with retry.h's Backoff; never after 5xx or
// a transport failure. Errors (retry.h's FromHttp): InvalidArgument for 4xx (bad queue,
// definition, credentials), Unavailable for 429/5xx and transport failures; the message carries
// Batch's error type and message.
// Thread-safety: one BatchClient per thread.
class BatchClient {
 public:
  BatchClient(BatchEndpoint endpoint, std::shared_ptr<aws::CredentialProvider> credentials);
  StatusOr<SubmittedJob> SubmitJob(const nlohmann::json& body);
  const BatchEndpoint& endpoint() const { return endpoint_; }

 private:
  BatchEndpoint endpoint_;
  std::shared_ptr<aws::CredentialProvider> credentials_;
  cloud::HttpClient http_;
};

}  // namespace sweep::aws
