// AWS IAM Identity Center (SSO) profiles, as `aws configure sso` writes them to ~/.aws/config:
//
//   [profile dev]                        [sso-session corp]
//   sso_session = corp                   sso_start_url = https://corp.awsapps.com/start
//   sso_account_id = 123456789012        sso_region = eu-west-1
//   sso_role_name = Trainer
//
// or the legacy form, with sso_start_url and sso_region in the profile itself. `aws sso login`
// caches an access token in ~/.aws/sso/cache/<sha1 of the session name, or of the start URL>.json;
// the SSO portal's GetRoleCredentials trades it for the role's temporary credentials. As in the
// AWS CLI, an sso-session token within 15 minutes of expiry is refreshed first with the refresh
// token cached beside it (SSO OIDC CreateToken) and the cache file rewritten; a token that has
// expired and cannot be refreshed (or a legacy one) is an error saying to run `aws sso login`.
#pragma once

#include <ctime>
#include <map>
#include <string>
#include <string_view>

#include "base/status.h"
#include "cloud/aws/credentials.h"

namespace sweep::aws {

struct SsoProfile {
  std::string profile;     // the profile's name, for messages
  std::string session;     // sso_session; "" in the legacy form
  std::string start_url;   // sso_start_url
  std::string region;      // sso_region: the portal's region
  std::string account_id;  // sso_account_id
  std::string role_name;   // sso_role_name
};

// True when a config section names sso_account_id or sso_role_name (as botocore decides).
bool IsSsoProfile(const std::map<std::string, std::string>* section);

// The profile's SSO settings with its [sso-session NAME] merged in. Errors: InvalidArgument for
// missing keys (all named), an sso-session the file lacks, or a key the two sections disagree on.
StatusOr<SsoProfile> ReadSsoProfile(const IniFile& config, const std::string& profile,
                                    const std::map<std::string, std::string>& section);

// ~/.aws/sso/cache/<Sha1Hex(session, else start URL)>.json; "" when HOME is unset.
std::string SsoTokenPath(const SsoProfile& p);

// The accessToken of a cached token file, still valid at `now`. Errors: InvalidArgument (no
// accessToken or expiresAt, or expired), with the `aws sso login` command that fixes it.
StatusOr<std::string> ParseSsoToken(std::string_view json, std::time_t now, const SsoProfile& p);

// config.h's ServiceEndpoint for "sso": AWS_ENDPOINT_URL_SSO, else AWS_ENDPOINT_URL, else the
// profile's endpoint_url, else https://portal.sso.REGION.amazonaws.com.
std::string SsoEndpoint(const std::string& region);
// The same for "sso-oidc": AWS_ENDPOINT_URL_SSO_OIDC, ..., else https://oidc.REGION.amazonaws.com.
std::string SsoOidcEndpoint(const std::string& region);

// When `cached` (the token file's text, at `path`) is an sso-session token due for refresh at
// `now` (expiring within 15 minutes, with refreshToken, clientId, clientSecret and a
// registrationExpiresAt still ahead): POST {SsoOidcEndpoint}/token (CreateToken, grant
// refresh_token, unsigned), then update accessToken, expiresAt and refreshToken in `cached` and
// rewrite the file (atomically, mode 0600). Ok and nothing done when no refresh is due or
// possible. Errors: InvalidArgument when SSO OIDC refuses (e.g. invalid_grant), Unavailable for
// 429, 5xx and network failures (retry.h's FromHttp; CredentialRetryPolicy first), Corruption
// for an answer without accessToken/expiresIn.
Status RefreshSsoTokenIfDue(const SsoProfile& p, const std::string& path, std::string* cached,
                            std::time_t now);

// GetRoleCredentials' answer: {"roleCredentials": {"accessKeyId", "secretAccessKey",
// "sessionToken", "expiration" (milliseconds since the epoch)}}. Errors: Corruption.
StatusOr<TimedCredentials> ParseSsoRoleCredentials(std::string_view json);

// Reads the cached token (refreshing it when due), then GET
// {SsoEndpoint}/federation/credentials?account_id=&role_name= with the token in
// x-amz-sso_bearer_token (unsigned, as the API requires). Errors: InvalidArgument for a missing or
// expired token, a token the portal refuses (401/403) or a role it does not know (400/404);
// Unavailable for 429, 5xx and network failures (retry.h's FromHttp; CredentialRetryPolicy).
StatusOr<TimedCredentials> FromSso(const SsoProfile& p);

}  // namespace sweep::aws
