// A small S3 client: GET (whole or ranged, to memory or file), PUT, HEAD, ListObjectsV2 with
// pagination, multipart upload for large files (abort on failure). Signs with sigv4.h; talks
// through http.h.
//
// Addressing: virtual-host ("https://b.s3.us-east-1.amazonaws.com/key") unless path-style is
// forced (AWS_S3_FORCE_PATH_STYLE=true, or "s3 =\n addressing_style = path" in the config file),
// the endpoint host is an IP address or localhost, or the bucket is not DNS-compatible.
// Payload: in-memory bodies are signed with their SHA-256; file uploads (PutFile, parts) stream
// with x-amz-content-sha256: UNSIGNED-PAYLOAD (TLS protects them on https).
// Retries: what retry.h's FromHttp calls transient (5xx, 429, SlowDown, RequestTimeout, ...) and
// transport failures (timeouts, resets) are retried with retry.h's Backoff (`retry` policy);
// 403/404 and other 4xx never are, except one retry after ExpiredToken/InvalidToken with
// refreshed credentials. Error messages are one line: operation, s3://bucket/key, HTTP status,
// S3 error code and message, the credential source. Never the secret, token or signature.
// Thread-safety: one S3Client per thread (it owns one HTTP connection).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "cloud/aws/credentials.h"
#include "cloud/aws/retry.h"
#include "cloud/http.h"

namespace sweep::aws {

struct S3Config {
  std::string region = "us-east-1";
  std::string endpoint;  // "" = https://s3.{region}.amazonaws.com; else scheme://host[:port]
  bool force_path_style = false;
  RetryPolicy retry;
  int64_t multipart_threshold = 16 << 20;  // PutFile uses multipart at or above this size
  int64_t part_size = 8 << 20;             // >= 5 MiB (S3's minimum for all parts but the last)
};

// Region and endpoint as config.h resolves them for service "s3" (AWS_REGION,
// AWS_DEFAULT_REGION, the profile's region, else us-east-1; AWS_ENDPOINT_URL_S3,
// AWS_ENDPOINT_URL, the profile's endpoint_url, else "" = standard). Path style:
// AWS_S3_FORCE_PATH_STYLE=true|1 or the profile's s3.addressing_style = path.
// Errors: InvalidArgument for an endpoint that is not http(s)://host[:port][/].
StatusOr<S3Config> S3ConfigFromEnvironment();

// "s3://bucket/some/key" -> {"bucket", "some/key"}. Errors: InvalidArgument.
struct S3Uri {
  std::string bucket;
  std::string key;  // may be "" (bucket root) or end in '/'
};
StatusOr<S3Uri> ParseS3Uri(std::string_view uri);

struct S3Object {
  std::string key;
  int64_t size = 0;
  std::string etag;  // without quotes
};

// An inclusive byte range [first, last], as in "Range: bytes=first-last".
struct ByteRange {
  int64_t first = 0;
  int64_t last = 0;
};

class S3Client {
 public:
  S3Client(S3Config config, std::shared_ptr<CredentialProvider> credentials);

  // Errors: NotFound (404), InvalidArgument (403 and other 4xx), Unavailable (after retries).
  StatusOr<S3Object> Head(const std::string& bucket, const std::string& key);
  StatusOr<std::string> Get(const std::string& bucket, const std::string& key,
                            std::optional<ByteRange> range = std::nullopt);
  // Streams the object (or range) into `local_path` (overwritten; partial on failure: callers
  // write to a temp path and rename). Returns the object's size/ETag from the response.
  StatusOr<S3Object> GetToFile(const std::string& bucket, const std::string& key,
                               const std::string& local_path,
                               std::optional<ByteRange> range = std::nullopt);
  Status Put(const std::string& bucket, const std::string& key, std::string_view body);
  // A conditional PUT (If-None-Match: *): true when it created the object, false when S3
  // answered 412 Precondition Failed (the key exists; nothing written).
  StatusOr<bool> PutIfAbsent(const std::string& bucket, const std::string& key,
                             std::string_view body);
  // Single PUT below config.multipart_threshold, else multipart (aborted on failure).
  Status PutFile(const std::string& bucket, const std::string& key, const std::string& local_path);
  // DeleteObject. Deleting an absent key succeeds (S3 answers 204 either way).
  Status Delete(const std::string& bucket, const std::string& key);
  // Every object whose key starts with `prefix`, following continuation tokens.
  StatusOr<std::vector<S3Object>> List(const std::string& bucket, const std::string& prefix);

  const S3Config& config() const { return config_; }

 private:
  struct Call;  // one S3 operation: request parts plus what to name it in messages
  StatusOr<cloud::HttpResponse> Send(const Call& call);
  StatusOr<cloud::HttpResponse> SendOnce(const Call& call);
  Status ErrorFor(const Call& call, const cloud::HttpResponse& response) const;
  std::string CredentialsNote() const;  // " (credentials: SOURCE)", or "" before any were found
  Status PutMultipart(const std::string& bucket, const std::string& key,
                      const std::string& local_path, int64_t size);
  StatusOr<std::string> UploadParts(const std::string& bucket, const std::string& key,
                                    const std::string& local_path, int64_t size,
                                    const std::string& upload_id);

  S3Config config_;
  std::shared_ptr<CredentialProvider> credentials_;
  cloud::HttpClient http_;
};

}  // namespace sweep::aws
