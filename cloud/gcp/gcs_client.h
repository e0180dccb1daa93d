// A small Cloud Storage client over the JSON API (https://cloud.google.com/storage/docs/json_api):
// object metadata, media download (to memory or file), simple upload (uploadType=media),
// resumable upload in chunks for large files (uploadType=resumable: a session URI, then
// "Content-Range: bytes a-b/total" chunks answered 308 until the last; after a transient failure
// the session is asked how much it holds, "bytes */total", and the upload resumes there),
// delete, and listing with page tokens. Talks through cloud/http.h; tokens from credentials.h.
//
// Endpoint: https://storage.googleapis.com, or STORAGE_EMULATOR_HOST ("host:port" or
// "http://host:port") as Google's Python and Node clients read it.
// Preconditions: a write with `if_generation_match` = 0 creates the object only when absent
// (412 otherwise: "create-only"); N > 0 replaces generation N only.
// Retries: 408, 429, 5xx and transport failures, with cloud/retry.h's Backoff (as Google's
// retry strategy lists them); writes are retried too (the same bytes to the same name: the
// outcome does not depend on how many tries ran). One retry after a 401 with a fresh token.
// 404 is NotFound; 401/403/412 and other 4xx are InvalidArgument. Messages are one line:
// operation, gs://bucket/key, HTTP status, the JSON error's reason and message, the credential
// source; never a token or a resumable session URI (it authorizes the upload by itself).
// Thread-safety: one GcsClient per thread (it owns one HTTP connection).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "cloud/gcp/credentials.h"
#include "cloud/http.h"
#include "cloud/retry.h"

namespace sweep::gcp {

struct GcsConfig {
  std::string endpoint = "https://storage.googleapis.com";  // scheme://host[:port], no slash
  cloud::RetryPolicy retry;
  int64_t resumable_threshold = 16 << 20;  // PutFile uploads resumably at or above this size
  int64_t chunk_size = 8 << 20;            // a multiple of 256 KiB, as the API requires
};

// The endpoint from STORAGE_EMULATOR_HOST when set. Errors: InvalidArgument for a value that
// is not [http(s)://]host[:port][/].
StatusOr<GcsConfig> GcsConfigFromEnvironment();

// "gs://bucket/some/key" -> {"bucket", "some/key"}. Errors: InvalidArgument.
struct GcsUri {
  std::string bucket;
  std::string key;  // may be "" (bucket root) or end in '/'
};
StatusOr<GcsUri> ParseGcsUri(std::string_view uri);

struct GcsObject {
  std::string key;
  int64_t size = 0;
  int64_t generation = 0;  // changes with every write of the object
};

struct WriteOptions {
  std::optional<int64_t> if_generation_match;  // 0 = only if absent
};

class GcsClient {
 public:
  GcsClient(GcsConfig config, std::shared_ptr<GoogleCredentials> credentials);

  // Errors: NotFound (404), InvalidArgument (401, 403, other 4xx), Unavailable (after retries).
  StatusOr<GcsObject> Head(const std::string& bucket, const std::string& key);
  StatusOr<std::string> Get(const std::string& bucket, const std::string& key);
  // Streams generation `generation` (0 = the live one) into `local_path` (overwritten; partial
  // on failure: callers write a temp path and rename). When a newer generation replaced it,
  // Unavailable (412), so a cache keyed on the generation never holds other bytes.
  StatusOr<GcsObject> GetToFile(const std::string& bucket, const std::string& key,
                                const std::string& local_path, int64_t generation = 0);
  Status Put(const std::string& bucket, const std::string& key, std::string_view body,
             const WriteOptions& options = {});
  // A create-only upload (ifGenerationMatch=0): true when it created the object, false when
  // Cloud Storage answered 412 (the object exists; nothing written).
  StatusOr<bool> PutIfAbsent(const std::string& bucket, const std::string& key,
                             std::string_view body);
  // A simple upload below config.resumable_threshold, else a resumable one.
  Status PutFile(const std::string& bucket, const std::string& key, const std::string& local_path,
                 const WriteOptions& options = {});
  // Deleting an absent object succeeds.
  Status Delete(const std::string& bucket, const std::string& key);
  // Every object whose name starts with `prefix`, following page tokens.
  StatusOr<std::vector<GcsObject>> List(const std::string& bucket, const std::string& prefix);

  const GcsConfig& config() const { return config_; }

 private:
  struct Call;  // one request: its parts plus what to name it in messages
  StatusOr<cloud::HttpResponse> Send(const Call& call);
  StatusOr<cloud::HttpResponse> SendOnce(const Call& call, const std::string& token);
  Status ErrorFor(const Call& call, const cloud::HttpResponse& response) const;
  std::string CredentialsNote() const;
  StatusOr<std::string> StartResumable(const std::string& bucket, const std::string& key,
                                       int64_t size, const WriteOptions& options);
  Status PutResumable(const std::string& bucket, const std::string& key,
                      const std::string& local_path, int64_t size, const WriteOptions& options);

  GcsConfig config_;
  std::shared_ptr<GoogleCredentials> credentials_;
  cloud::HttpClient http_;
};

}  // namespace sweep::gcp
