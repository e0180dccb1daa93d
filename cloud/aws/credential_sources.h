// The credential sources that hand out temporary credentials by asking something: the container
// endpoint (ECS, AWS Batch job roles, EKS Pod Identity), EC2 IMDSv2, a profile's
// `credential_process` (a command printing JSON, e.g. an SSO helper), STS
// AssumeRoleWithWebIdentity (EKS IRSA: a projected service-account token traded for a role's
// credentials) and STS AssumeRole signed with another source's keys (a profile's role_arn with
// source_profile or credential_source). CredentialProvider (credentials.h) decides when each is
// tried; the environment and static profile keys are read there.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "cloud/aws/credentials.h"
#include "cloud/http.h"

namespace sweep::aws {

// Container credentials: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI on http://169.254.170.2, or
// AWS_CONTAINER_CREDENTIALS_FULL_URI (https, or http on loopback / 169.254.170.2 / .23) with
// AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE or _TOKEN as the Authorization header.
// Errors: NotFound when neither variable is set; InvalidArgument, Unavailable as the endpoint says.
StatusOr<TimedCredentials> FromContainer();

// EC2 IMDSv2 (token PUT, then the instance role's credentials) at
// AWS_EC2_METADATA_SERVICE_ENDPOINT (default http://169.254.169.254). Errors: NotFound when
// AWS_EC2_METADATA_DISABLED=true, not on EC2, or no instance role.
StatusOr<TimedCredentials> FromImds();

// The JSON the container endpoint and IMDS serve: AccessKeyId, SecretAccessKey, Token,
// Expiration (ISO 8601 UTC). Errors: Corruption, or Unavailable when IMDS says Code != Success.
StatusOr<TimedCredentials> ParseCredentialsJson(std::string_view json);

// Runs `command` with /bin/sh -c and parses its standard output, the documented shape:
// {"Version": 1, "AccessKeyId", "SecretAccessKey", "SessionToken"?, "Expiration"?}.
// Errors: InvalidArgument when the command fails or prints something else (not retryable: a
// misconfigured helper stays misconfigured). Its stderr goes to ours, so its own advice shows.
StatusOr<TimedCredentials> RunCredentialProcess(const std::string& command);
StatusOr<TimedCredentials> ParseProcessCredentials(std::string_view json);

struct WebIdentity {
  std::string role_arn;      // AWS_ROLE_ARN or the profile's role_arn
  std::string token_file;    // AWS_WEB_IDENTITY_TOKEN_FILE or web_identity_token_file; read anew
  std::string session_name;  // AWS_ROLE_SESSION_NAME or role_session_name; "" = "sweep-<time>"
};

// The web identity from the environment, if both AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN
// are set.
bool WebIdentityFromEnv(WebIdentity* out);

// STS endpoint with a trailing '/': config.h's ServiceEndpoint for "sts" (AWS_ENDPOINT_URL_STS,
// AWS_ENDPOINT_URL, the profile's endpoint_url, else the regional endpoint of config.h's region,
// else the global https://sts.amazonaws.com).
std::string StsEndpoint();

// POST Action=AssumeRoleWithWebIdentity (unsigned, as the API requires) to StsEndpoint().
// Errors: InvalidArgument for a rejected token or role (AccessDenied, InvalidIdentityToken,
// ExpiredTokenException, an unreadable token file), Unavailable for throttling, 5xx,
// IDPCommunicationError and network failures (retry.h's FromHttp; CredentialRetryPolicy first).
StatusOr<TimedCredentials> AssumeRoleWithWebIdentity(const WebIdentity& identity);

// A profile's role_arn with source_profile or credential_source (~/.aws/config).
struct RoleToAssume {
  std::string role_arn;
  std::string session_name;  // role_session_name; "" = "sweep-<time>"
  std::string external_id;   // external_id; sent only when set
  int duration_seconds = 0;  // duration_seconds; 0 = STS's default (one hour)
};

// POST Action=AssumeRole to StsEndpoint(), signed with `source` (SigV4, service "sts", region
// StsRegion()). Errors as for AssumeRoleWithWebIdentity.
StatusOr<TimedCredentials> AssumeRole(const RoleToAssume& role, const AwsCredentials& source);

// The AssumeRole form body, and the request signed at `amz_date` (pure; for tests).
std::string AssumeRoleBody(const RoleToAssume& role);
// The signed request keeps `req`'s URL, headers, body and timeouts (sigv4.h's Sign).
cloud::HttpRequest SignStsRequest(cloud::HttpRequest req, const AwsCredentials& source,
                                  const std::string& amz_date);

// The region STS requests are signed for: config.h's region (AWS_REGION, AWS_DEFAULT_REGION,
// the profile's region), else us-east-1 (the global endpoint's).
std::string StsRegion();

// The <Credentials> of an AssumeRole or AssumeRoleWithWebIdentity response. Errors: Corruption.
StatusOr<TimedCredentials> ParseStsCredentials(std::string_view xml);

}  // namespace sweep::aws
