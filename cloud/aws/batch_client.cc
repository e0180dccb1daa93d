#include "cloud/aws/batch_client.h"

#include <cctype>
#include <ctime>

#include "base/strings.h"
#include "cloud/aws/config.h"
#include "cloud/aws/retry.h"

namespace sweep::aws {
namespace {

using nlohmann::json;

// Batch errors: header x-amzn-errortype "ClientException:..." and body {"message": "..."}.
Status SubmitError(const std::string& what, const cloud::HttpResponse& resp,
                   const std::string& credential_source, std::string* type) {
  *type = resp.Header("x-amzn-errortype");
  *type = type->substr(0, type->find(':'));
  json err = json::parse(resp.body, nullptr, /*allow_exceptions=*/false);
  std::string message = err.is_object() && err.contains("message") && err["message"].is_string()
                            ? err["message"].get<std::string>()
                            : resp.body.substr(0, 300);
  std::string full = what + ": HTTP " + std::to_string(resp.status) +
                     (type->empty() ? "" : " " + *type) + ": " + message + " (credentials from " +
                     credential_source + ")";
  return FromHttp(resp.status, *type, std::move(full));
}

}  // namespace

json SubmitJobBody(const SubmitJobInput& input) {
  json body = json::object();
  body["jobName"] = input.job_name;
  body["jobQueue"] = input.job_queue;
  body["jobDefinition"] = input.job_definition;
  if (input.array_size > 0) body["arrayProperties"] = {{"size", input.array_size}};
  json env = json::array();
  for (const auto& [name, value] : input.environment)
    env.push_back({{"name", name}, {"value", value}});
  body["containerOverrides"] = {{"environment", env}};
  if (!input.tags.empty()) {
    json tags = json::object();
    for (const auto& [k, v] : input.tags) tags[k] = v;
    body["tags"] = tags;
    body["propagateTags"] = true;
  }
  return body;
}

Status CheckJobName(const std::string& name) {
  if (name.empty() || name.size() > 128) {
    return Status::InvalidArgument("job name '" + name + "': must be 1 to 128 characters");
  }
  if (!std::isalnum(static_cast<unsigned char>(name[0]))) {
    return Status::InvalidArgument("job name '" + name + "': must start with a letter or digit");
  }
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') {
      return Status::InvalidArgument("job name '" + name +
                                     "': only letters, digits, '-' and '_' are allowed");
    }
  }
  return Status::Ok();
}

StatusOr<BatchEndpoint> ResolveBatchEndpoint(const std::string& region) {
  const AwsConfig config = LoadAwsConfig();
  BatchEndpoint out;
  out.region = region.empty() ? config.region : region;
  if (out.region.empty()) {
    return Status::InvalidArgument(
        "no AWS region: pass --region or set AWS_REGION (or region in ~/.aws/config)");
  }
  out.url = ServiceEndpoint(config, "batch", out.region);
  SWEEP_RETURN_IF_ERROR(CheckEndpoint("Batch", &out.url));
  return out;
}

cloud::HttpRequest SignedBatchRequest(const BatchEndpoint& endpoint, const std::string& path,
                                      const std::string& body,
                                      const aws::AwsCredentials& credentials,
                                      const std::string& amz_date) {
  aws::SigV4Request sig;
  sig.method = "POST";
  sig.host = aws::HostHeaderFor(endpoint.url);
  sig.canonical_uri = path;
  sig.headers = {{"content-type", "application/json"}};
  sig.payload_hash = aws::Sha256Hex(body);
  sig.service = "batch";
  sig.region = endpoint.region;
  sig.amz_date = amz_date;
  cloud::HttpRequest req = Sign(sig, endpoint.url.substr(0, endpoint.url.find("://")), credentials);
  req.body = body;
  req.timeout_ms = 60000;
  return req;
}

StatusOr<SubmittedJob> ParseSubmitJobResponse(const std::string& text) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("jobId") || !j["jobId"].is_string()) {
    return Status::Corruption("SubmitJob answer has no jobId: " + text.substr(0, 200));
  }
  SubmittedJob job;
  job.job_id = j["jobId"].get<std::string>();
  if (j.contains("jobName") && j["jobName"].is_string())
    job.job_name = j["jobName"].get<std::string>();
  if (j.contains("jobArn") && j["jobArn"].is_string()) job.job_arn = j["jobArn"].get<std::string>();
  return job;
}

BatchClient::BatchClient(BatchEndpoint endpoint,
                         std::shared_ptr<aws::CredentialProvider> credentials)
    : endpoint_(std::move(endpoint)), credentials_(std::move(credentials)) {}

StatusOr<SubmittedJob> BatchClient::SubmitJob(const json& body) {
  const std::string text = body.dump();
  const std::string what =
      "SubmitJob " + body.value("jobName", std::string()) + " at " + endpoint_.url;
  // SubmitJob is not idempotent: only a throttled request (refused before it ran) is sent again.
  Backoff backoff(RetryPolicy{}, RandomSeed());
  for (;;) {
    SWEEP_ASSIGN_OR_RETURN(aws::AwsCredentials creds, credentials_->Get());
    cloud::HttpRequest req = SignedBatchRequest(endpoint_, "/v1/submitjob", text, creds,
                                                aws::AmzDate(std::time(nullptr)));
    SWEEP_ASSIGN_OR_RETURN(cloud::HttpResponse resp, http_.Do(req));
    if (resp.status / 100 == 2) {
      auto job = ParseSubmitJobResponse(resp.body);
      if (!job.ok()) return job.status().WithContext(what);
      return job;
    }
    std::string type;
    Status err = SubmitError(what, resp, credentials_->source(), &type);
    if (!IsThrottling(resp.status, type) || !backoff.RetryAfter(err)) return err;
  }
}

}  // namespace sweep::aws
