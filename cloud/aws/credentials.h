// The AWS credential chain, in the AWS SDK order:
//   1. environment: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN
//   2. web identity (EKS IRSA): AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN traded with STS
//      AssumeRoleWithWebIdentity (credential_sources.h)
//   3. profile AWS_PROFILE (else "default") in AWS_SHARED_CREDENTIALS_FILE (~/.aws/credentials),
//      then AWS_CONFIG_FILE (~/.aws/config, section "[profile NAME]" or "[default]"): static
//      `role_arn` first (assumed with `web_identity_token_file`, or with STS AssumeRole signed
//      with the credentials of `source_profile` (chains allowed; a profile naming itself lends
//      its own keys) or `credential_source` Environment / Ec2InstanceMetadata / EcsContainer;
//      `role_session_name`, `external_id`, `duration_seconds` honoured, `mfa_serial` refused),
//      then IAM Identity Center (`sso_session` or `sso_start_url`, `sso_account_id`,
//      `sso_role_name`: the token `aws sso login` cached, refreshed when near expiry, traded at
//      the SSO portal; credential_sso.h), then static keys, then `credential_process`
//   4. container (ECS / AWS Batch job role): AWS_CONTAINER_CREDENTIALS_RELATIVE_URI on
//      http://169.254.170.2, or AWS_CONTAINER_CREDENTIALS_FULL_URI (https, or http on loopback /
//      169.254.170.2 / 169.254.170.23) with the Authorization header from
//      AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE or AWS_CONTAINER_AUTHORIZATION_TOKEN
//   5. EC2 IMDSv2 (token PUT, then the role's credentials) at AWS_EC2_METADATA_SERVICE_ENDPOINT
//      (default http://169.254.169.254); skipped when AWS_EC2_METADATA_DISABLED=true
// Temporary credentials (web identity, assumed roles, process, container, IMDS, a profile with an
// expiry) are fetched again from the same source once they are within `refresh_before_s` of their
// Expiration.
// Thread-safety: CredentialProvider is safe to share between threads (Get locks).
#pragma once

#include <ctime>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "cloud/aws/sigv4.h"

namespace sweep::aws {

// An INI file as {section: {key: value}}; a nested block ("s3 =\n  addressing_style = path")
// becomes key "s3.addressing_style". Section names are kept as written ("profile dev").
using IniFile = std::map<std::string, std::map<std::string, std::string>>;
IniFile ParseIni(std::string_view text);

// `key` in an INI section, or "" when the key or the section (nullptr) is absent.
std::string SectionValue(const std::map<std::string, std::string>* section, const char* key);

// The profile's section in a config file: "default" or "profile NAME" (or "NAME").
const std::map<std::string, std::string>* ConfigSection(const IniFile& config,
                                                        const std::string& profile);

// ~/.aws/credentials and ~/.aws/config paths after the env overrides; "" when HOME is unset.
std::string SharedCredentialsPath();
std::string SharedConfigPath();
// AWS_PROFILE, else AWS_DEFAULT_PROFILE, else "default".
std::string ProfileName();

// Credentials and, for temporary ones, when they expire.
struct TimedCredentials {
  AwsCredentials credentials;
  std::optional<std::time_t> expiration;
};

// "2026-11-23T09:00:00Z" -> seconds since the epoch.
std::optional<std::time_t> ParseIso8601(std::string_view s);
// Seconds since the epoch -> "2026-11-23T09:00:00Z" (the form the AWS CLI writes).
std::string FormatIso8601(std::time_t t);

class CredentialProvider {
 public:
  explicit CredentialProvider(int refresh_before_s = 300) : refresh_before_s_(refresh_before_s) {}

  // Resolves the chain on the first call; later calls reuse the credentials until they come
  // within refresh_before_s of expiry. Errors: InvalidArgument when no source has credentials
  // (or a named profile is missing), Unavailable when a source failed transiently.
  StatusOr<AwsCredentials> Get();
  // Forgets cached credentials (e.g. after ExpiredToken) so the next Get() fetches again.
  void Invalidate();
  // "environment", "profile dev (/root/.aws/credentials)", "container", "imds", or "" before Get.
  std::string source() const;

 private:
  StatusOr<TimedCredentials> Resolve(std::string* source);

  const int refresh_before_s_;
  mutable std::mutex mu_;
  std::optional<TimedCredentials> cached_;
  std::string source_;
};

}  // namespace sweep::aws
