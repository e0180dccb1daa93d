#include "cloud/aws/imds.h"

#include <nlohmann/json.hpp>

#include "base/strings.h"

namespace sweep::aws {

std::string ImdsEndpoint() {
  if (AsciiLower(GetEnv("AWS_EC2_METADATA_DISABLED")) == "true") return "";
  std::string base = GetEnv("AWS_EC2_METADATA_SERVICE_ENDPOINT");
  if (base.empty()) base = "http://169.254.169.254";
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base;
}

StatusOr<std::string> ImdsToken(cloud::HttpClient& http, const std::string& endpoint) {
  cloud::HttpRequest put;
  put.method = "PUT";
  put.url = endpoint + "/latest/api/token";
  put.headers.emplace_back("X-aws-ec2-metadata-token-ttl-seconds", "21600");
  put.connect_timeout_ms = 1000;
  put.timeout_ms = 2000;
  auto token = http.Do(put);
  if (!token.ok() || token->status != 200) {
    return Status::NotFound("imds: no token from " + endpoint);
  }
  return Trim(token->body);
}

cloud::HttpRequest ImdsGet(const std::string& endpoint, const std::string& path,
                           const std::string& token) {
  cloud::HttpRequest get;
  get.url = endpoint + path;
  get.headers.emplace_back("X-aws-ec2-metadata-token", token);
  get.connect_timeout_ms = 1000;
  get.timeout_ms = 2000;
  return get;
}

StatusOr<std::optional<SpotNotice>> PollSpotNotice(cloud::HttpClient& http,
                                                   const std::string& endpoint,
                                                   const std::string& token) {
  auto r = http.Do(ImdsGet(endpoint, "/latest/meta-data/spot/instance-action", token));
  if (!r.ok()) return r.status().WithContext("imds spot/instance-action");
  if (r->status == 404) return std::optional<SpotNotice>();
  if (r->status == 401) return Status::NotFound("imds: token expired");
  if (r->status != 200) {
    return Status::Unavailable("imds spot/instance-action: HTTP " + std::to_string(r->status));
  }
  nlohmann::json j = nlohmann::json::parse(r->body, nullptr, false);
  if (!j.is_object() || !j.contains("action") || !j["action"].is_string()) {
    return Status::Corruption("imds spot/instance-action: not {\"action\": ...}: " + r->body);
  }
  SpotNotice notice;
  notice.action = j["action"].get<std::string>();
  if (j.contains("time") && j["time"].is_string()) notice.time = j["time"].get<std::string>();
  return std::optional<SpotNotice>(notice);
}

}  // namespace sweep::aws
