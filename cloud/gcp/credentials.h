// Google credentials, in the order Google's client libraries look for them (Application
// Default Credentials):
//   1. GOOGLE_APPLICATION_CREDENTIALS names a JSON key file:
//      "type": "service_account"  -> an RS256 JWT (jwt.h) signed with private_key, traded at
//                                    token_uri (grant urn:ietf:params:oauth:grant-type:jwt-bearer)
//      "type": "authorized_user"  -> refresh_token traded at token_uri (default
//                                    https://oauth2.googleapis.com/token) with client_id/secret
//                                    (what `gcloud auth application-default login` writes)
//   2. gcloud's ADC file: $CLOUDSDK_CONFIG/application_default_credentials.json, else
//      ~/.config/gcloud/application_default_credentials.json, read the same way
//   3. the metadata server (GCE, GKE workload identity, Vertex AI, Cloud Run, Batch):
//      GET http://$GCE_METADATA_HOST (default metadata.google.internal)
//          /computeMetadata/v1/instance/service-accounts/default/token, "Metadata-Flavor: Google"
// With STORAGE_EMULATOR_HOST set and no key file named, requests go unauthenticated (as the
// Python and Node clients do against an emulator).
// Access tokens are cached and fetched again 5 minutes before they expire, or after Invalidate
// (a 401 from Cloud Storage). Retries: cloud/retry.h CredentialRetryPolicy for transient answers
// (408, 429, 5xx, transport), except that a metadata server which does not answer at all means
// "no credentials" (InvalidArgument, as Google's libraries raise DefaultCredentialsError off
// Google Cloud). A refused key (400 invalid_grant, 401) is InvalidArgument with one line naming
// the source; no message ever holds a key, an assertion, a refresh or access token.
// Thread-safety: GoogleCredentials is safe to share between threads (Token locks).
#pragma once

#include <ctime>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "cloud/http.h"

namespace sweep::gcp {

// The scope every token is asked for: read and write objects (service accounts and metadata).
inline constexpr std::string_view kStorageScope =
    "https://www.googleapis.com/auth/devstorage.read_write";

struct AccessToken {
  std::string token;  // "" = anonymous (emulator)
  std::optional<std::time_t> expiration;
};

// One way to get tokens (a key file, the metadata server, none).
class TokenSource {
 public:
  virtual ~TokenSource() = default;
  virtual StatusOr<AccessToken> Fetch(cloud::HttpClient& http) = 0;
  // "service account sa@p.iam.gserviceaccount.com (/path/key.json)", "metadata server", ...
  virtual std::string Describe() const = 0;
};

// A key file's text as a TokenSource. `path` only names it in messages.
// Errors: InvalidArgument for bad JSON, an unknown "type" or missing fields.
StatusOr<std::unique_ptr<TokenSource>> ParseCredentialsFile(std::string_view text,
                                                            const std::string& path);

// The metadata server at `host` ("metadata.google.internal", "127.0.0.1:8080").
std::unique_ptr<TokenSource> MetadataServer(std::string host);

// The chain above, from the environment. Errors: InvalidArgument (unreadable key file).
StatusOr<std::unique_ptr<TokenSource>> DefaultTokenSource();

class GoogleCredentials {
 public:
  // `source` null = the chain from the environment, resolved on the first Token().
  explicit GoogleCredentials(std::unique_ptr<TokenSource> source = nullptr,
                             int refresh_before_s = 300);

  // A valid access token ("" for an emulator without credentials). Errors: InvalidArgument
  // (no credentials anywhere, a refused key), Unavailable (endpoint down after retries).
  StatusOr<std::string> Token();
  // Forgets the cached token so the next Token() fetches a new one.
  void Invalidate();
  // Describe() of the source, or "" before the first Token().
  std::string source() const;

 private:
  const int refresh_before_s_;
  mutable std::mutex mu_;
  std::unique_ptr<TokenSource> source_;
  std::optional<AccessToken> cached_;
  cloud::HttpClient http_;
};

}  // namespace sweep::gcp
