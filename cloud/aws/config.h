// Where AWS requests go: the profile, its region and each service's endpoint, resolved from the
// environment and the shared config file (~/.aws/config) the same way for every service we call
// (S3, Batch, STS, SSO, SSO OIDC). Service-specific options (S3's addressing style, a --region
// flag) stay with the service; the order below does not.
//
//   profile:  AWS_PROFILE, AWS_DEFAULT_PROFILE, "default"
//   region:   AWS_REGION, AWS_DEFAULT_REGION, the profile's `region`; "" when none says
//   endpoint: AWS_ENDPOINT_URL_<SERVICE> (service id upper-cased, '-' as '_': S3, BATCH, STS,
//             SSO, SSO_OIDC), AWS_ENDPOINT_URL, the profile's `endpoint_url`, else the
//             service's standard https://...amazonaws.com endpoint; trailing '/' removed.
// Thread-safety: functions are thread-safe; LoadAwsConfig reads the environment and the file.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "base/status.h"

namespace sweep::aws {

struct AwsConfig {
  std::string profile;
  std::string region;                           // "" when neither env nor profile names one
  std::map<std::string, std::string> settings;  // the profile's config section (may be empty)

  // A key of the profile's section ("region", "s3.addressing_style"), or "".
  std::string Setting(const char* key) const;
};

// The profile, region and profile settings as they are now (reads the config file each call).
AwsConfig LoadAwsConfig();

// The endpoint configured for `service` ("s3", "batch", "sts", "sso", "sso-oidc") by the
// environment or the profile, without a trailing '/'; "" when none is.
std::string ConfiguredEndpoint(const AwsConfig& config, std::string_view service);

// ConfiguredEndpoint, else StandardEndpoint(service, region).
std::string ServiceEndpoint(const AwsConfig& config, std::string_view service,
                            const std::string& region);

// https://s3.R.amazonaws.com, https://batch.R..., https://sts.R... (https://sts.amazonaws.com,
// the global endpoint, when `region` is ""), https://portal.sso.R..., https://oidc.R....
// Requires: `service` is one of those five.
std::string StandardEndpoint(std::string_view service, const std::string& region);

// Removes trailing '/' from `url`. Errors: InvalidArgument "<what> endpoint 'URL': expected
// http(s)://host[:port]" for another scheme, no host, or a path/query after the host.
Status CheckEndpoint(std::string_view what, std::string* url);

}  // namespace sweep::aws
