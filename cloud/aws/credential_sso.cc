#include "cloud/aws/credential_sso.h"

#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "base/file.h"
#include "base/log.h"
#include "base/strings.h"
#include "cloud/aws/config.h"
#include "cloud/aws/retry.h"
#include "cloud/aws/sha1.h"
#include "cloud/aws/sigv4.h"
#include "cloud/http.h"

namespace sweep::aws {
namespace {

using json = nlohmann::json;

std::string LoginHint(const SsoProfile& p) {
  return "run `aws sso login --profile " + p.profile + "`";
}

std::string TokenName(const SsoProfile& p) {
  return p.session.empty() ? "start URL " + p.start_url : "sso-session " + p.session;
}

// "sso GetRoleCredentials: HTTP 401: Session token not found or invalid" with the right code.
Status PortalError(const SsoProfile& p, long http_status, std::string_view body) {
  auto j = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  std::string text = "sso GetRoleCredentials for " + p.role_name + "@" + p.account_id + ": HTTP " +
                     std::to_string(http_status);
  if (j.is_object() && j.contains("message") && j["message"].is_string()) {
    text += ": " + j["message"].get<std::string>().substr(0, 300);
  }
  if (http_status == 401 || http_status == 403) text += " (" + LoginHint(p) + ")";
  return FromHttp(http_status, "", std::move(text));
}

// POSTs the SSO OIDC CreateToken `req`; its JSON answer, or the refusal as a Status.
StatusOr<json> CreateToken(cloud::HttpClient& http, const cloud::HttpRequest& req,
                           const SsoProfile& p) {
  SWEEP_ASSIGN_OR_RETURN(cloud::HttpResponse r, http.Do(req));
  json answer = json::parse(r.body, nullptr, /*allow_exceptions=*/false);
  if (r.status == 200) return answer;
  std::string text =
      "sso-oidc CreateToken (refresh " + TokenName(p) + "): HTTP " + std::to_string(r.status);
  std::string code;
  if (answer.is_object() && answer.contains("error") && answer["error"].is_string()) {
    code = answer["error"].get<std::string>();
    text += ": " + code;
  }
  Status s = FromHttp(r.status, code, text);
  if (s.code() == StatusCode::kUnavailable) return s;
  return Status::InvalidArgument(text + " (" + LoginHint(p) + ")");
}

// The AWS CLI and botocore refresh an sso-session token this close to its expiry.
constexpr std::time_t kRefreshWindowS = 15 * 60;

}  // namespace

bool IsSsoProfile(const std::map<std::string, std::string>* section) {
  return section != nullptr &&
         (section->count("sso_account_id") || section->count("sso_role_name"));
}

StatusOr<SsoProfile> ReadSsoProfile(const IniFile& config, const std::string& profile,
                                    const std::map<std::string, std::string>& section) {
  std::map<std::string, std::string> merged = section;
  const std::string session = SectionValue(&section, "sso_session");
  if (!session.empty()) {
    auto it = config.find("sso-session " + session);
    if (it == config.end()) {
      return Status::InvalidArgument("profile " + profile + ": no [sso-session " + session +
                                     "] section in the config file");
    }
    for (const auto& [key, value] : it->second) {
      if (auto [mine, added] = merged.emplace(key, value); !added && mine->second != value) {
        return Status::InvalidArgument("profile " + profile + ": " + key + " is " + mine->second +
                                       " in the profile but " + value + " in sso-session " +
                                       session);
      }
    }
  }
  SsoProfile p{profile,
               session,
               SectionValue(&merged, "sso_start_url"),
               SectionValue(&merged, "sso_region"),
               SectionValue(&merged, "sso_account_id"),
               SectionValue(&merged, "sso_role_name")};
  std::string missing;
  for (const char* key : {"sso_role_name", "sso_account_id", "sso_start_url", "sso_region"}) {
    if (SectionValue(&merged, key).empty()) {
      missing += std::string(missing.empty() ? "" : ", ") + key;
    }
  }
  if (!missing.empty()) {
    return Status::InvalidArgument("profile " + profile + " is an SSO profile but lacks " +
                                   missing);
  }
  return p;
}

std::string SsoTokenPath(const SsoProfile& p) {
  const std::string home = GetEnv("HOME");
  if (home.empty()) return "";
  return home + "/.aws/sso/cache/" + Sha1Hex(p.session.empty() ? p.start_url : p.session) + ".json";
}

StatusOr<std::string> ParseSsoToken(std::string_view json, std::time_t now, const SsoProfile& p) {
  auto j = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  auto str = [&](const char* k) {
    return j.is_object() && j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : "";
  };
  const std::string token = str("accessToken"), expires = str("expiresAt");
  if (token.empty() || expires.empty()) {
    return Status::InvalidArgument("the cached SSO token for " + TokenName(p) +
                                   " has no accessToken/expiresAt: " + LoginHint(p));
  }
  const auto at = ParseIso8601(expires);
  if (!at) return Status::InvalidArgument("the cached SSO token has a bad expiresAt " + expires);
  if (*at <= now) {
    return Status::InvalidArgument("the SSO token for " + TokenName(p) + " expired at " + expires +
                                   ": " + LoginHint(p));
  }
  return token;
}

std::string SsoEndpoint(const std::string& region) {
  return ServiceEndpoint(LoadAwsConfig(), "sso", region);
}

std::string SsoOidcEndpoint(const std::string& region) {
  return ServiceEndpoint(LoadAwsConfig(), "sso-oidc", region);
}

Status RefreshSsoTokenIfDue(const SsoProfile& p, const std::string& path, std::string* cached,
                            std::time_t now) {
  if (p.session.empty()) return Status::Ok();  // legacy tokens have no refresh (as in botocore)
  json token = json::parse(*cached, nullptr, /*allow_exceptions=*/false);
  auto str = [&](const char* k) {
    return token.is_object() && token.contains(k) && token[k].is_string()
               ? token[k].get<std::string>()
               : "";
  };
  const auto expires = ParseIso8601(str("expiresAt"));
  const auto registration = ParseIso8601(str("registrationExpiresAt"));
  if (!expires || *expires - now >= kRefreshWindowS || !registration || *registration <= now ||
      str("refreshToken").empty() || str("clientId").empty() || str("clientSecret").empty()) {
    return Status::Ok();
  }
  const std::string body = json{
      {"clientId", str("clientId")},
      {"clientSecret", str("clientSecret")},
      {"grantType", "refresh_token"},
      {"refreshToken",
       str("refreshToken")}}.dump();
  cloud::HttpRequest req;
  req.method = "POST";
  req.url = SsoOidcEndpoint(p.region) + "/token";
  req.body = body;
  req.headers.emplace_back("Content-Type", "application/json");
  req.connect_timeout_ms = 3000;
  req.timeout_ms = 10000;
  cloud::HttpClient http;
  SWEEP_ASSIGN_OR_RETURN(json answer, WithRetries(CredentialRetryPolicy(),
                                                  [&]() { return CreateToken(http, req, p); }));
  if (!answer.is_object() || !answer.contains("accessToken") ||
      !answer["accessToken"].is_string() || !answer.contains("expiresIn") ||
      !answer["expiresIn"].is_number_integer()) {
    return Status::Corruption("sso-oidc CreateToken: no accessToken/expiresIn in the answer");
  }
  token["accessToken"] = answer["accessToken"];
  token["expiresAt"] = FormatIso8601(now + answer["expiresIn"].get<long>());
  if (answer.contains("refreshToken") && answer["refreshToken"].is_string()) {
    token["refreshToken"] = answer["refreshToken"];
  }
  *cached = token.dump();
  SWEEP_ASSIGN_OR_RETURN(std::string temp, WriteSyncedTemp(path, *cached));
  ::chmod(temp.c_str(), 0600);  // it holds a bearer token, like the file the AWS CLI writes
  return RenameSynced(temp, path);
}

StatusOr<TimedCredentials> ParseSsoRoleCredentials(std::string_view json) {
  auto j = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("roleCredentials") || !j["roleCredentials"].is_object()) {
    return Status::Corruption("sso: no roleCredentials in the response");
  }
  const auto& c = j["roleCredentials"];
  auto str = [&](const char* k) {
    return c.contains(k) && c[k].is_string() ? c[k].get<std::string>() : "";
  };
  TimedCredentials t;
  t.credentials = {str("accessKeyId"), str("secretAccessKey"), str("sessionToken")};
  if (t.credentials.access_key_id.empty() || t.credentials.secret_access_key.empty()) {
    return Status::Corruption("sso: roleCredentials without accessKeyId/secretAccessKey");
  }
  if (c.contains("expiration")) {
    if (!c["expiration"].is_number()) return Status::Corruption("sso: expiration is not a number");
    t.expiration = static_cast<std::time_t>(c["expiration"].get<double>() / 1000);
  }
  return t;
}

StatusOr<TimedCredentials> FromSso(const SsoProfile& p) {
  const std::string path = SsoTokenPath(p);
  std::string cached;
  if (path.empty() || !ReadFile(path, &cached).ok()) {
    return Status::InvalidArgument("not logged in to SSO (" + TokenName(p) + ", no " +
                                   (path.empty() ? "~/.aws/sso/cache" : path) +
                                   "): " + LoginHint(p));
  }
  const std::time_t now = std::time(nullptr);
  const Status refresh = RefreshSsoTokenIfDue(p, path, &cached, now);
  auto token = ParseSsoToken(cached, now, p);
  if (!token.ok() && !refresh.ok()) return refresh;  // expired, and the refresh said why
  if (!token.ok()) return token.status();
  if (!refresh.ok()) {
    log::Warn("SSO token refresh failed, using the current token: " + refresh.message());
  }
  cloud::HttpRequest req;
  req.url = SsoEndpoint(p.region) +
            "/federation/credentials?account_id=" + UriEncode(p.account_id) +
            "&role_name=" + UriEncode(p.role_name);
  req.headers.emplace_back("x-amz-sso_bearer_token", *token);
  req.connect_timeout_ms = 3000;
  req.timeout_ms = 10000;
  cloud::HttpClient http;
  return WithRetries(CredentialRetryPolicy(), [&]() -> StatusOr<TimedCredentials> {
    auto r = http.Do(req);
    if (r.ok() && r->status == 200) return ParseSsoRoleCredentials(r->body);
    return r.ok() ? PortalError(p, r->status, r->body) : r.status().WithContext("sso portal");
  });
}

}  // namespace sweep::aws
