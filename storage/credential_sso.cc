#include "storage/credential_sso.h"

#include <nlohmann/json.hpp>

#include "base/strings.h"
#include "storage/atomic_file.h"
#include "storage/credential_sources.h"
#include "storage/http.h"
#include "storage/sha1.h"
#include "storage/sigv4.h"

namespace sweep::storage {
namespace {

std::string Get(const std::map<std::string, std::string>& s, const char* key) {
  auto it = s.find(key);
  return it == s.end() ? std::string() : it->second;
}

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
  if (http_status == 429 || http_status >= 500) return Status::Unavailable(text);
  if (http_status == 401 || http_status == 403) text += " (" + LoginHint(p) + ")";
  return Status::InvalidArgument(text);
}

}  // namespace

bool IsSsoProfile(const std::map<std::string, std::string>* section) {
  return section != nullptr &&
         (section->count("sso_account_id") || section->count("sso_role_name"));
}

StatusOr<SsoProfile> ReadSsoProfile(const IniFile& config, const std::string& profile,
                                    const std::map<std::string, std::string>& section) {
  std::map<std::string, std::string> merged = section;
  const std::string session = Get(section, "sso_session");
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
               Get(merged, "sso_start_url"),
               Get(merged, "sso_region"),
               Get(merged, "sso_account_id"),
               Get(merged, "sso_role_name")};
  std::string missing;
  for (const char* key : {"sso_role_name", "sso_account_id", "sso_start_url", "sso_region"}) {
    if (Get(merged, key).empty()) missing += std::string(missing.empty() ? "" : ", ") + key;
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
  std::string url = GetEnv("AWS_ENDPOINT_URL_SSO");
  if (url.empty()) url = GetEnv("AWS_ENDPOINT_URL");
  if (url.empty()) url = "https://portal.sso." + region + ".amazonaws.com";
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
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
  SWEEP_ASSIGN_OR_RETURN(std::string token, ParseSsoToken(cached, std::time(nullptr), p));
  HttpRequest req;
  req.url = SsoEndpoint(p.region) +
            "/federation/credentials?account_id=" + UriEncode(p.account_id) +
            "&role_name=" + UriEncode(p.role_name);
  req.headers.emplace_back("x-amz-sso_bearer_token", token);
  req.connect_timeout_ms = 3000;
  req.timeout_ms = 10000;
  HttpClient http;
  return RetryTransient([&]() -> StatusOr<TimedCredentials> {
    auto r = http.Do(req);
    if (r.ok() && r->status == 200) return ParseSsoRoleCredentials(r->body);
    return r.ok() ? PortalError(p, r->status, r->body) : r.status().WithContext("sso portal");
  });
}

}  // namespace sweep::storage
