// AWS Signature Version 4, written once for every AWS API we call (S3, Batch, STS).
//
// The signer is pure: request parts, credentials and a timestamp in; the Authorization header and
// the x-amz-* headers to send out. No clock, no network, no libcurl: tests compare it byte for
// byte with botocore (tests/sigv4_oracle.py). We never use libcurl's CURLOPT_AWS_SIGV4 (curl 7.88
// mis-signs unsorted queries and a bare "?uploads").
//
// Matches botocore's S3SigV4Auth for service "s3" and SigV4Auth for other services:
//   - canonical URI: `canonical_uri` exactly as given (already encoded, see UriEncodePath);
//   - canonical query: names and values URI-encoded (RFC 3986 unreserved kept), sorted by name
//     then value, "name=" for empty values (so "?uploads" signs as "uploads=");
//   - canonical headers: host + x-amz-date + `headers` (+ the ones added below), names lowercased,
//     values trimmed with inner whitespace runs collapsed, sorted; user-agent, expect and
//     x-amzn-trace-id are never signed;
//   - service "s3": x-amz-content-sha256 = `payload_hash` is added and signed (S3 requires it);
//   - a session token adds x-amz-security-token (signed).
// Thread-safety: all functions are pure and thread-safe.
#pragma once

#include <cstdint>
#include <ctime>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cloud/http.h"

namespace sweep::aws {

// Long-term or temporary AWS credentials. Never log `secret_access_key` or `session_token`.
struct AwsCredentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty for long-term keys
};

using cloud::HeaderList;

// Payload hash value for S3 requests whose body is not hashed (large streamed uploads).
inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";

struct SigV4Request {
  std::string method;         // "GET", "PUT", "POST", "HEAD", "DELETE"
  std::string host;           // Host header value: "b.s3.us-east-1.amazonaws.com", "127.0.0.1:4568"
                              // (include the port only when it is not the scheme's default)
  std::string canonical_uri;  // encoded path as sent: "/bucket/my%20key.txt", "/v1/submitjob"
  cloud::HeaderList query;    // raw (unencoded) name/value pairs, any order; value "" allowed
  cloud::HeaderList headers;  // extra headers to sign and send (Range, Content-Type, x-amz-*...)
  std::string payload_hash;   // lowercase hex SHA-256 of the body, or kUnsignedPayload
  std::string service;        // "s3", "batch"
  std::string region;         // "us-east-1"
  std::string amz_date;       // ISO 8601 basic UTC, "20130524T000000Z" (see AmzDate)
};

struct SigV4Result {
  std::string authorization;  // value of the Authorization header
  // Headers the caller must send in addition to `request.headers` (and Host):
  // x-amz-date, x-amz-content-sha256 (s3 only), x-amz-security-token (with a session token).
  cloud::HeaderList headers;
  std::string canonical_request;  // for debugging signature mismatches; holds no secret
  std::string string_to_sign;
};

// Signs `request` with `credentials`. Requires: amz_date is 16 chars "YYYYMMDDTHHMMSSZ".
SigV4Result SignV4(const SigV4Request& request, const AwsCredentials& credentials);

// The one way an AWS request is signed: `request` sent over `scheme` ("https", "http") as a
// cloud::HttpRequest with method, URL (scheme://host + canonical_uri + the canonical query, the
// same bytes that were signed), `request.headers`, Host, the SigV4Result headers and
// Authorization. The body (and timeouts) are the caller's to set. Pure.
cloud::HttpRequest Sign(const SigV4Request& request, std::string_view scheme,
                        const AwsCredentials& credentials);

// The Host header (and SigV4 `host`) for an endpoint URL "scheme://host[:port]": the port only
// when it is not the scheme's default ("https://h:443" -> "h", "http://127.0.0.1:9" -> itself).
std::string HostHeaderFor(std::string_view url);

// "YYYYMMDDTHHMMSSZ" for a UTC time.
std::string AmzDate(std::time_t t);

using cloud::UriEncode;  // cloud/http.h

// UriEncode(path, /*keep_slash=*/true): an S3 object path ("/bucket/a b/c~d" ->
// "/bucket/a%20b/c~d").
std::string UriEncodePath(std::string_view path);

// Lowercase hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);

// Raw 32-byte HMAC-SHA256.
std::string HmacSha256(std::string_view key, std::string_view data);

}  // namespace sweep::aws
