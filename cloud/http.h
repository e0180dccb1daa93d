// A small HTTP client over libcurl: one request at a time, connections kept alive between calls.
// TLS peer and host verification are always on for https. Redirects are not followed.
// libcurl types stay in http.cc; FromCurl is the one translation of libcurl errors into Status.
// libcurl.so.4 is not linked but loaded (dlopen) by the first request of the process, so programs
// that never make one (a worker on local paths) do not pay for mapping it; when it cannot be
// loaded, every request fails with an Internal status that says so.
// Thread-safety: one HttpClient per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"

namespace sweep::cloud {

// Header or query name/value pairs, in order.
using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method = "GET";  // any verb; "HEAD" reads no body
  std::string url;             // "http://127.0.0.1:4568/bucket/key?x=1" (already encoded)
  HeaderList headers;
  std::string_view body;  // request body when `body_file` is empty (must outlive Do)
  std::string body_file;  // else upload bytes [body_offset, body_offset+body_length) of it
  int64_t body_offset = 0;
  int64_t body_length = 0;
  std::string response_file;  // if set, a 2xx body is written here (created/truncated)
  long connect_timeout_ms = 10000;
  long timeout_ms = 0;         // whole transfer; 0 = no limit (multi-GB objects), stalls are
  long low_speed_time_s = 60;  // caught here instead: abort when < 1 KiB/s for this long
};

struct HttpResponse {
  long status = 0;
  HeaderList headers;  // names lowercased, values trimmed
  std::string body;    // empty when written to response_file
  // First value of header `name` (lowercase), or "".
  std::string Header(std::string_view name) const;
};

class HttpClient {
 public:
  HttpClient();
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Any HTTP status is a response; only transport failures (refused, reset, timeout, TLS) are
  // errors, through FromCurl. The message names method and URL without the query string.
  StatusOr<HttpResponse> Do(const HttpRequest& request);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// RFC 3986 percent-encoding keeping only A-Z a-z 0-9 - _ . ~ ("+" -> %2B, " " -> %20, UTF-8
// bytes each %XX uppercase). `keep_slash` keeps '/' (for object keys in paths).
std::string UriEncode(std::string_view s, bool keep_slash = false);

// libcurl's CURLcode (as int) -> Status: timeouts, resets, refused connections, DNS and partial
// transfers are Unavailable (retry); TLS verification failures, bad URLs and unsupported
// protocols are InvalidArgument; local file errors are Unavailable; the rest Internal.
Status FromCurl(int curl_code, std::string_view what);

namespace internal {
// Loads libcurl from `soname` and its functions (http.cc calls it once, with "libcurl.so.4");
// exposed for the test of a missing library. Never unloaded.
struct CurlApi;
StatusOr<const CurlApi*> LoadCurl(const char* soname);
}  // namespace internal

}  // namespace sweep::cloud
