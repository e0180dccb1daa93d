#include "cloud/aws/batch_client.h"

#include <cctype>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <sstream>

#include "base/strings.h"

namespace sweep::aws {
namespace {

using nlohmann::json;

std::map<std::string, std::string> ProfileConfig() {
  const std::string path = aws::SharedConfigPath();
  std::ifstream in(path);
  if (path.empty() || !in) return {};
  std::ostringstream ss;
  ss << in.rdbuf();
  aws::IniFile ini = aws::ParseIni(ss.str());
  const auto* section = aws::ConfigSection(ini, aws::ProfileName());
  return section == nullptr ? std::map<std::string, std::string>{} : *section;
}

std::string FirstNonEmpty(std::initializer_list<std::string> values) {
  for (const auto& v : values) {
    if (!v.empty()) return v;
  }
  return "";
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
  const auto profile = ProfileConfig();
  auto from_profile = [&](const char* k) {
    auto it = profile.find(k);
    return it == profile.end() ? std::string() : it->second;
  };
  BatchEndpoint out;
  out.region =
      FirstNonEmpty({region, GetEnv("AWS_REGION"), GetEnv("AWS_DEFAULT_REGION"), from_profile("region")});
  if (out.region.empty()) {
    return Status::InvalidArgument(
        "no AWS region: pass --region or set AWS_REGION (or region in ~/.aws/config)");
  }
  out.url = FirstNonEmpty(
      {GetEnv("AWS_ENDPOINT_URL_BATCH"), GetEnv("AWS_ENDPOINT_URL"), from_profile("endpoint_url")});
  if (out.url.empty()) out.url = "https://batch." + out.region + ".amazonaws.com";
  while (!out.url.empty() && out.url.back() == '/') out.url.pop_back();
  const size_t scheme_end = out.url.find("://");
  const std::string scheme = scheme_end == std::string::npos ? "" : out.url.substr(0, scheme_end);
  if ((scheme != "http" && scheme != "https") || out.url.size() == scheme_end + 3 ||
      out.url.find_first_of("/?#", scheme_end + 3) != std::string::npos) {
    return Status::InvalidArgument("Batch endpoint '" + out.url +
                                   "': expected http(s)://host[:port]");
  }
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
  aws::SigV4Result signed_request = aws::SignV4(sig, credentials);

  cloud::HttpRequest req;
  req.method = "POST";
  req.url = endpoint.url + path;
  req.headers = sig.headers;
  for (const auto& h : signed_request.headers) req.headers.push_back(h);
  req.headers.emplace_back("authorization", signed_request.authorization);
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
  SWEEP_ASSIGN_OR_RETURN(aws::AwsCredentials creds, credentials_->Get());
  const std::string text = body.dump();
  cloud::HttpRequest req = SignedBatchRequest(endpoint_, "/v1/submitjob", text, creds,
                                                aws::AmzDate(std::time(nullptr)));
  const std::string what =
      "SubmitJob " + body.value("jobName", std::string()) + " at " + endpoint_.url;
  SWEEP_ASSIGN_OR_RETURN(cloud::HttpResponse resp, http_.Do(req));
  if (resp.status / 100 == 2) {
    auto job = ParseSubmitJobResponse(resp.body);
    if (!job.ok()) return job.status().WithContext(what);
    return job;
  }
  // Batch errors: header x-amzn-errortype "ClientException:..." and body {"message": "..."}.
  std::string type = resp.Header("x-amzn-errortype");
  type = type.substr(0, type.find(':'));
  json err = json::parse(resp.body, nullptr, /*allow_exceptions=*/false);
  std::string message = err.is_object() && err.contains("message") && err["message"].is_string()
                            ? err["message"].get<std::string>()
                            : resp.body.substr(0, 300);
  std::string full = what + ": HTTP " + std::to_string(resp.status) +
                     (type.empty() ? "" : " " + type) + ": " + message + " (credentials from " +
                     credentials_->source() + ")";
  if (resp.status == 429 || resp.status / 100 == 5) return Status::Unavailable(full);
  return Status::InvalidArgument(full);
}

}  // namespace sweep::aws
