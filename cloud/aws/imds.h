// EC2 instance metadata (IMDSv2): the endpoint, the session token, and the Spot interruption
// notice. The credential chain (credential_sources.h) and the worker's Spot watcher use it.
#pragma once

#include <optional>
#include <string>

#include "base/status.h"
#include "cloud/http.h"

namespace sweep::aws {

// AWS_EC2_METADATA_SERVICE_ENDPOINT (default http://169.254.169.254, no trailing slash); ""
// when AWS_EC2_METADATA_DISABLED=true.
std::string ImdsEndpoint();

// An IMDSv2 session token (PUT /latest/api/token, 6 h). NotFound when nothing answers with one
// (not on EC2, or the hop limit blocks a container).
StatusOr<std::string> ImdsToken(cloud::HttpClient& http, const std::string& endpoint);

// A GET of `path` ("/latest/meta-data/...") with the token; short timeouts.
cloud::HttpRequest ImdsGet(const std::string& endpoint, const std::string& path,
                           const std::string& token);

// EC2's notice that a Spot instance is about to be interrupted (two minutes ahead).
struct SpotNotice {
  std::string action;  // "terminate", "stop" or "hibernate"
  std::string time;    // UTC, "2026-12-07T05:00:00Z"
};

// GET /latest/meta-data/spot/instance-action: nullopt while there is none (404). Errors:
// Unavailable (no answer, 5xx), NotFound (401: the token expired; get a new one), Corruption.
StatusOr<std::optional<SpotNotice>> PollSpotNotice(cloud::HttpClient& http,
                                                   const std::string& endpoint,
                                                   const std::string& token);

}  // namespace sweep::aws
