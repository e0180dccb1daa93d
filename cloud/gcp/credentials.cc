#include "cloud/gcp/credentials.h"

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "base/file.h"
#include "base/strings.h"
#include "cloud/gcp/jwt.h"
#include "cloud/retry.h"

namespace sweep::gcp {
namespace {

constexpr char kDefaultTokenUri[] = "https://oauth2.googleapis.com/token";
constexpr char kJwtBearerGrant[] = "urn:ietf:params:oauth:grant-type:jwt-bearer";

// Token endpoints and the metadata server answer JSON; errors are {"error": CODE,
// "error_description": TEXT} (OAuth 2.0) or plain text. One short line either way.
std::string ErrorOf(const cloud::HttpResponse& r) {
  std::string code, text;
  nlohmann::json j = nlohmann::json::parse(r.body, nullptr, false);
  if (j.is_object() && j.contains("error")) {
    const auto& e = j["error"];
    if (e.is_string()) code = e.get<std::string>();
    if (e.is_object()) text = e.value("message", "");
    if (j.contains("error_description") && j["error_description"].is_string()) {
      text = j["error_description"].get<std::string>();
    }
  }
  std::string out = "HTTP " + std::to_string(r.status);
  if (!code.empty()) out += " " + code;
  if (!text.empty()) out += ": " + text;
  for (char& c : out) c = (c == '\n' || c == '\r') ? ' ' : c;
  return out.substr(0, 300);
}

StatusOr<AccessToken> ParseTokenAnswer(const std::string& body, const std::string& what) {
  nlohmann::json j = nlohmann::json::parse(body, nullptr, false);
  if (!j.is_object() || !j.contains("access_token") || !j["access_token"].is_string() ||
      j["access_token"].get<std::string>().empty()) {
    return Status::Corruption(what + ": answer has no access_token");
  }
  AccessToken t{j["access_token"].get<std::string>(), std::nullopt};
  if (j.contains("expires_in") && j["expires_in"].is_number()) {
    t.expiration = std::time(nullptr) + j["expires_in"].get<int64_t>();
  }
  return t;
}

// One token request with the credential retry policy. `what` names the source in messages.
StatusOr<AccessToken> RequestToken(cloud::HttpClient& http, const cloud::HttpRequest& req,
                                   const std::string& what) {
  return cloud::WithRetries(cloud::CredentialRetryPolicy(), [&]() -> StatusOr<AccessToken> {
    StatusOr<cloud::HttpResponse> r = http.Do(req);
    if (!r.ok()) return r.status().WithContext(what);
    if (r->status / 100 == 2) return ParseTokenAnswer(r->body, what);
    const std::string msg = what + ": token request refused: " + ErrorOf(*r);
    if (r->status == 408 || r->status == 429 || r->status >= 500) {
      return Status::Unavailable(msg);
    }
    return Status::InvalidArgument(msg);
  });
}

cloud::HttpRequest FormPost(const std::string& url, const cloud::HeaderList& fields,
                            std::string* body) {
  for (const auto& [k, v] : fields) {
    if (!body->empty()) *body += '&';
    *body += cloud::UriEncode(k) + "=" + cloud::UriEncode(v);
  }
  cloud::HttpRequest req;
  req.method = "POST";
  req.url = url;
  req.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  req.body = *body;
  return req;
}

std::string StringField(const nlohmann::json& j, const char* name) {
  return j.contains(name) && j[name].is_string() ? j[name].get<std::string>() : "";
}

class ServiceAccount : public TokenSource {
 public:
  ServiceAccount(const nlohmann::json& j, std::string path)
      : email_(StringField(j, "client_email")),
        key_id_(StringField(j, "private_key_id")),
        key_(StringField(j, "private_key")),
        token_uri_(StringField(j, "token_uri")),
        path_(std::move(path)) {
    if (token_uri_.empty()) token_uri_ = kDefaultTokenUri;
  }
  bool complete() const { return !email_.empty() && !key_.empty(); }

  StatusOr<AccessToken> Fetch(cloud::HttpClient& http) override {
    JwtClaims claims{email_, key_id_, std::string(kStorageScope), token_uri_, std::time(nullptr)};
    StatusOr<std::string> jwt = MakeJwt(claims, key_);
    if (!jwt.ok()) return jwt.status().WithContext(Describe());
    std::string body;
    cloud::HttpRequest req =
        FormPost(token_uri_, {{"grant_type", kJwtBearerGrant}, {"assertion", *jwt}}, &body);
    return RequestToken(http, req, Describe());
  }
  std::string Describe() const override { return "service account " + email_ + " (" + path_ + ")"; }

 private:
  std::string email_, key_id_, key_, token_uri_, path_;
};

class AuthorizedUser : public TokenSource {
 public:
  AuthorizedUser(const nlohmann::json& j, std::string path)
      : client_id_(StringField(j, "client_id")),
        client_secret_(StringField(j, "client_secret")),
        refresh_token_(StringField(j, "refresh_token")),
        token_uri_(StringField(j, "token_uri")),
        path_(std::move(path)) {
    if (token_uri_.empty()) token_uri_ = kDefaultTokenUri;
  }
  bool complete() const { return !client_id_.empty() && !refresh_token_.empty(); }

  StatusOr<AccessToken> Fetch(cloud::HttpClient& http) override {
    std::string body;
    cloud::HttpRequest req = FormPost(token_uri_,
                                      {{"grant_type", "refresh_token"},
                                       {"client_id", client_id_},
                                       {"client_secret", client_secret_},
                                       {"refresh_token", refresh_token_}},
                                      &body);
    return RequestToken(http, req, Describe());
  }
  std::string Describe() const override { return "authorized user (" + path_ + ")"; }

 private:
  std::string client_id_, client_secret_, refresh_token_, token_uri_, path_;
};

class Metadata : public TokenSource {
 public:
  explicit Metadata(std::string host) : host_(std::move(host)) {}
  StatusOr<AccessToken> Fetch(cloud::HttpClient& http) override {
    cloud::HttpRequest req;
    req.url = "http://" + host_ + "/computeMetadata/v1/instance/service-accounts/default/token";
    req.headers = {{"Metadata-Flavor", "Google"}};
    req.connect_timeout_ms = 2000;
    req.timeout_ms = 10000;
    // Off Google Cloud there is no metadata server: no answer at all means "no credentials"
    // (exit 2, as Google's libraries raise DefaultCredentialsError), not a transient failure.
    StatusOr<cloud::HttpResponse> first = http.Do(req);
    if (!first.ok()) {
      return Status::InvalidArgument(
          "no Google credentials: GOOGLE_APPLICATION_CREDENTIALS is unset, no gcloud "
          "application-default file, and the " +
          first.status().message());
    }
    if (first->status / 100 == 2) return ParseTokenAnswer(first->body, Describe());
    return RequestToken(http, req, Describe());  // an answer: retried when transient
  }
  std::string Describe() const override { return "metadata server " + host_; }

 private:
  std::string host_;
};

class Anonymous : public TokenSource {
 public:
  StatusOr<AccessToken> Fetch(cloud::HttpClient&) override { return AccessToken{}; }
  std::string Describe() const override { return "none (STORAGE_EMULATOR_HOST)"; }
};

std::string AdcFilePath() {
  if (std::string dir = GetEnv("CLOUDSDK_CONFIG"); !dir.empty()) {
    return dir + "/application_default_credentials.json";
  }
  const std::string home = GetEnv("HOME");
  return home.empty() ? "" : home + "/.config/gcloud/application_default_credentials.json";
}

StatusOr<std::unique_ptr<TokenSource>> FromFile(const std::string& path) {
  std::string text;
  Status read = ReadFile(path, &text);
  if (!read.ok()) return Status::InvalidArgument("Google credentials: " + read.message());
  return ParseCredentialsFile(text, path);
}

}  // namespace

StatusOr<std::unique_ptr<TokenSource>> ParseCredentialsFile(std::string_view text,
                                                            const std::string& path) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object()) {
    return Status::InvalidArgument("Google credentials " + path + ": not a JSON object");
  }
  const std::string type = StringField(j, "type");
  if (type == "service_account") {
    auto sa = std::make_unique<ServiceAccount>(j, path);
    if (sa->complete()) return std::unique_ptr<TokenSource>(std::move(sa));
    return Status::InvalidArgument("Google credentials " + path +
                                   ": service_account needs client_email and private_key");
  }
  if (type == "authorized_user") {
    auto user = std::make_unique<AuthorizedUser>(j, path);
    if (user->complete()) return std::unique_ptr<TokenSource>(std::move(user));
    return Status::InvalidArgument("Google credentials " + path +
                                   ": authorized_user needs client_id and refresh_token");
  }
  return Status::InvalidArgument("Google credentials " + path + ": type '" + type.substr(0, 40) +
                                 "' is not supported (service_account, authorized_user)");
}

std::unique_ptr<TokenSource> MetadataServer(std::string host) {
  return std::make_unique<Metadata>(std::move(host));
}

StatusOr<std::unique_ptr<TokenSource>> DefaultTokenSource() {
  if (std::string path = GetEnv("GOOGLE_APPLICATION_CREDENTIALS"); !path.empty()) {
    return FromFile(path);
  }
  if (!GetEnv("STORAGE_EMULATOR_HOST").empty()) {
    return std::unique_ptr<TokenSource>(std::make_unique<Anonymous>());
  }
  if (std::string adc = AdcFilePath(); !adc.empty() && ::access(adc.c_str(), R_OK) == 0)
    return FromFile(adc);
  std::string host = GetEnv("GCE_METADATA_HOST");
  return MetadataServer(host.empty() ? "metadata.google.internal" : host);
}

GoogleCredentials::GoogleCredentials(std::unique_ptr<TokenSource> source, int refresh_before_s)
    : refresh_before_s_(refresh_before_s), source_(std::move(source)) {}

StatusOr<std::string> GoogleCredentials::Token() {
  std::lock_guard<std::mutex> lock(mu_);
  if (cached_ &&
      (!cached_->expiration || std::time(nullptr) + refresh_before_s_ < *cached_->expiration)) {
    return cached_->token;
  }
  if (source_ == nullptr) {
    SWEEP_ASSIGN_OR_RETURN(source_, DefaultTokenSource());
  }
  SWEEP_ASSIGN_OR_RETURN(AccessToken t, source_->Fetch(http_));
  cached_ = std::move(t);
  return cached_->token;
}

void GoogleCredentials::Invalidate() {
  std::lock_guard<std::mutex> lock(mu_);
  cached_.reset();
}

std::string GoogleCredentials::source() const {
  std::lock_guard<std::mutex> lock(mu_);
  return source_ ? source_->Describe() : "";
}

}  // namespace sweep::gcp
