#include "cloud/aws/credential_sources.h"

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <nlohmann/json.hpp>

#include "base/file.h"
#include "base/strings.h"
#include "cloud/aws/config.h"
#include "cloud/aws/imds.h"
#include "cloud/aws/retry.h"
#include "cloud/aws/sigv4.h"
#include "cloud/aws/xml.h"
#include "cloud/http.h"

namespace sweep::aws {
namespace {

// "sts AssumeRoleWithWebIdentity: AccessDenied: Not authorized ..." with the right code.
Status StsError(std::string_view action, long http_status, std::string_view body) {
  const std::string code = FirstXml(body, "Code");
  const std::string message = FirstXml(body, "Message");
  std::string text = "sts " + std::string(action) + ": ";
  text += code.empty() ? "HTTP " + std::to_string(http_status) : code;
  if (!message.empty()) text += ": " + message.substr(0, 300);
  return FromHttp(http_status, code, std::move(text));
}

std::string SessionName(const std::string& name) {
  return name.empty() ? "sweep-" + std::to_string(std::time(nullptr)) : name;
}

// POSTs the form `body` for `action` to STS, retried as CredentialRetryPolicy says; `sign`
// (re)signs the request before each try, as the signature carries the time.
StatusOr<TimedCredentials> PostSts(std::string_view action, const std::string& body,
                                   const std::function<void(cloud::HttpRequest*)>& sign) {
  cloud::HttpRequest req;
  req.body = body;
  req.method = "POST";
  req.url = StsEndpoint();
  req.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
  req.connect_timeout_ms = 3000;
  req.timeout_ms = 10000;
  cloud::HttpClient http;
  return WithRetries(CredentialRetryPolicy(), [&]() -> StatusOr<TimedCredentials> {
    cloud::HttpRequest sent = req;
    if (sign) sign(&sent);
    auto r = http.Do(sent);
    if (r.ok() && r->status == 200) return ParseStsCredentials(r->body);
    return r.ok() ? StsError(action, r->status, r->body) : r.status().WithContext("sts " + req.url);
  });
}

// Loopback, the ECS and EKS link-local hosts: the only hosts the SDKs accept over plain http.
bool AllowedHttpHost(const std::string& url) {
  for (const char* prefix : {"http://127.", "http://localhost:", "http://localhost/",
                             "http://[::1]", "http://169.254.170.2:", "http://169.254.170.2/",
                             "http://169.254.170.23:", "http://169.254.170.23/"}) {
    if (url.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

StatusOr<TimedCredentials> FetchJson(cloud::HttpClient& http, cloud::HttpRequest req,
                                     const char* what) {
  req.connect_timeout_ms = 2000;
  req.timeout_ms = 5000;
  return WithRetries(CredentialRetryPolicy(), [&]() -> StatusOr<TimedCredentials> {
    auto r = http.Do(req);
    if (r.ok() && r->status == 200) return ParseCredentialsJson(r->body);
    if (!r.ok()) return r.status().WithContext(what);
    return FromHttp(r->status, "", std::string(what) + ": HTTP " + std::to_string(r->status));
  });
}

// AccessKeyId, SecretAccessKey, the session token under `token_key` and an optional ISO 8601
// Expiration from a JSON object; errors have `code` and start with `what`.
StatusOr<TimedCredentials> KeysFromJson(const nlohmann::json& j, const char* token_key,
                                        StatusCode code, const std::string& what) {
  auto str = [&](const char* k) {
    auto it = j.find(k);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  TimedCredentials t;
  t.credentials = {str("AccessKeyId"), str("SecretAccessKey"), str(token_key)};
  if (t.credentials.access_key_id.empty() || t.credentials.secret_access_key.empty()) {
    return Status(code, what + ": AccessKeyId/SecretAccessKey missing");
  }
  if (std::string e = str("Expiration"); !e.empty()) {
    t.expiration = ParseIso8601(e);
    if (!t.expiration) return Status(code, what + ": bad Expiration " + e);
  }
  return t;
}

}  // namespace

StatusOr<TimedCredentials> ParseCredentialsJson(std::string_view text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return Status::Corruption("credentials JSON: not an object");
  if (j.contains("Code") && j["Code"] != "Success") {
    return Status::Unavailable("credentials JSON: Code " + j["Code"].dump());
  }
  return KeysFromJson(j, "Token", StatusCode::kCorruption, "credentials JSON");
}

StatusOr<TimedCredentials> ParseProcessCredentials(std::string_view text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object())
    return Status::InvalidArgument("credential_process: output is not a JSON object");
  if (!j.contains("Version") || j["Version"] != 1) {
    return Status::InvalidArgument("credential_process: expected \"Version\": 1");
  }
  return KeysFromJson(j, "SessionToken", StatusCode::kInvalidArgument, "credential_process");
}

StatusOr<TimedCredentials> RunCredentialProcess(const std::string& command) {
  std::fflush(nullptr);  // a child inherits our stdio buffers' contents otherwise
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr)
    return Status::InvalidArgument("credential_process: cannot start: " + command);
  std::string out;
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;) {
    if (out.size() < (1 << 20)) out.append(buf, n);
  }
  const int status = ::pclose(pipe);
  if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    const int code = status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return Status::InvalidArgument("credential_process: `" + command + "` exited " +
                                   std::to_string(code));
  }
  return ParseProcessCredentials(out);
}

bool WebIdentityFromEnv(WebIdentity* out) {
  WebIdentity w{GetEnv("AWS_ROLE_ARN"), GetEnv("AWS_WEB_IDENTITY_TOKEN_FILE"),
                GetEnv("AWS_ROLE_SESSION_NAME")};
  if (w.role_arn.empty() || w.token_file.empty()) return false;
  *out = std::move(w);
  return true;
}

std::string StsEndpoint() {
  const AwsConfig config = LoadAwsConfig();
  return ServiceEndpoint(config, "sts", config.region) + "/";
}

StatusOr<TimedCredentials> ParseStsCredentials(std::string_view xml) {
  const std::string creds = FirstXml(xml, "Credentials");
  TimedCredentials t;
  t.credentials = {FirstXml(creds, "AccessKeyId"), FirstXml(creds, "SecretAccessKey"),
                   FirstXml(creds, "SessionToken")};
  if (t.credentials.access_key_id.empty() || t.credentials.secret_access_key.empty()) {
    return Status::Corruption("sts: no Credentials in the response");
  }
  if (std::string e = FirstXml(creds, "Expiration"); !e.empty()) {
    t.expiration = ParseIso8601(e);
    if (!t.expiration) return Status::Corruption("sts: bad Expiration " + e);
  }
  return t;
}

StatusOr<TimedCredentials> AssumeRoleWithWebIdentity(const WebIdentity& identity) {
  std::string token;
  if (!ReadFile(identity.token_file, &token).ok() || Trim(token).empty()) {
    return Status::InvalidArgument("web identity: cannot read the token file " +
                                   identity.token_file);
  }
  const std::string body = "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=" +
                           UriEncode(identity.role_arn) +
                           "&RoleSessionName=" + UriEncode(SessionName(identity.session_name)) +
                           "&WebIdentityToken=" + UriEncode(Trim(token));
  return PostSts("AssumeRoleWithWebIdentity", body, nullptr);  // unsigned, as the API requires
}

std::string StsRegion() {
  const std::string region = LoadAwsConfig().region;
  return region.empty() ? "us-east-1" : region;
}

cloud::HttpRequest SignStsRequest(cloud::HttpRequest req, const AwsCredentials& source,
                                  const std::string& amz_date) {
  SigV4Request sig;
  sig.method = "POST";
  sig.host = HostHeaderFor(req.url);
  sig.canonical_uri = "/";
  sig.headers = req.headers;
  sig.payload_hash = Sha256Hex(req.body);
  sig.service = "sts";
  sig.region = StsRegion();
  sig.amz_date = amz_date;
  cloud::HttpRequest out = Sign(sig, req.url.substr(0, req.url.find("://")), source);
  out.body = req.body;
  out.connect_timeout_ms = req.connect_timeout_ms;
  out.timeout_ms = req.timeout_ms;
  return out;
}

std::string AssumeRoleBody(const RoleToAssume& role) {
  std::string body = "Action=AssumeRole&Version=2011-06-15&RoleArn=" + UriEncode(role.role_arn) +
                     "&RoleSessionName=" + UriEncode(SessionName(role.session_name));
  if (!role.external_id.empty()) body += "&ExternalId=" + UriEncode(role.external_id);
  if (role.duration_seconds > 0)
    body += "&DurationSeconds=" + std::to_string(role.duration_seconds);
  return body;
}

StatusOr<TimedCredentials> AssumeRole(const RoleToAssume& role, const AwsCredentials& source) {
  return PostSts("AssumeRole", AssumeRoleBody(role), [&](cloud::HttpRequest* r) {
    *r = SignStsRequest(std::move(*r), source, AmzDate(std::time(nullptr)));
  });
}

StatusOr<TimedCredentials> FromContainer() {
  std::string url;
  if (std::string rel = GetEnv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"); !rel.empty()) {
    url = "http://169.254.170.2" + rel;
  } else if (std::string full = GetEnv("AWS_CONTAINER_CREDENTIALS_FULL_URI"); !full.empty()) {
    if (full.rfind("https://", 0) != 0 && !AllowedHttpHost(full)) {
      return Status::InvalidArgument(
          "AWS_CONTAINER_CREDENTIALS_FULL_URI: http only on loopback "
          "or 169.254.170.2/23");
    }
    url = full;
  } else {
    return Status::NotFound("container: not configured");
  }
  cloud::HttpRequest req;
  req.url = url;
  std::string token = GetEnv("AWS_CONTAINER_AUTHORIZATION_TOKEN");
  if (std::string file = GetEnv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"); !file.empty()) {
    if (!ReadFile(file, &token).ok()) {
      return Status::InvalidArgument(
          "container: cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
    }
  }
  token = Trim(token);
  if (!token.empty()) req.headers.emplace_back("Authorization", token);
  cloud::HttpClient http;
  return FetchJson(http, req, "container credentials");
}

StatusOr<TimedCredentials> FromImds() {
  const std::string base = ImdsEndpoint();
  if (base.empty()) return Status::NotFound("imds: disabled");
  cloud::HttpClient http;
  // Not on EC2 (or the hop limit blocks us): NotFound, nothing to find here.
  SWEEP_ASSIGN_OR_RETURN(std::string token, ImdsToken(http, base));
  cloud::HttpRequest get = ImdsGet(base, "/latest/meta-data/iam/security-credentials/", token);
  auto role = http.Do(get);
  if (!role.ok()) return role.status().WithContext("imds role");
  if (role->status == 404) return Status::NotFound("imds: no instance role");
  std::string name = Trim(role->body.substr(0, role->body.find('\n')));
  if (role->status != 200)
    return FromHttp(role->status, "", "imds role: HTTP " + std::to_string(role->status));
  if (name.empty()) return Status::Unavailable("imds role: empty role name");
  get.url += name;
  return FetchJson(http, get, "imds credentials");
}

}  // namespace sweep::aws
