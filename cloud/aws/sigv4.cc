#include "cloud/aws/sigv4.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "base/check.h"
#include "base/strings.h"
#include "cloud/aws/sha256.h"

namespace sweep::aws {
namespace {

std::string Hex(const unsigned char* p, size_t n) {
  static const char* const kDigits = "0123456789abcdef";
  std::string out(2 * n, '0');
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = kDigits[p[i] >> 4];
    out[2 * i + 1] = kDigits[p[i] & 15];
  }
  return out;
}

// botocore's _header_value: strip, then collapse runs of whitespace to one space.
std::string CanonicalHeaderValue(std::string_view v) {
  std::string out;
  bool pending_space = false;
  for (char c : v) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += c;
  }
  return out;
}

bool NeverSigned(const std::string& lower_name) {
  return lower_name == "user-agent" || lower_name == "expect" || lower_name == "x-amzn-trace-id";
}

struct CanonicalHeaders {
  std::string block;         // "name:value\n" lines
  std::string signed_names;  // "host;range;x-amz-date"
};

CanonicalHeaders MakeCanonicalHeaders(const cloud::HeaderList& all) {
  cloud::HeaderList lowered;
  for (const auto& [name, value] : all) {
    std::string n = AsciiLower(name);
    if (!NeverSigned(n)) lowered.emplace_back(std::move(n), CanonicalHeaderValue(value));
  }
  // Stable: repeated names keep their order and are joined with ',' like botocore.
  std::stable_sort(lowered.begin(), lowered.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  CanonicalHeaders out;
  for (size_t i = 0; i < lowered.size(); ++i) {
    if (i > 0 && lowered[i].first == lowered[i - 1].first) {
      out.block.back() = ',';
      out.block += lowered[i].second + "\n";
      continue;
    }
    if (!out.signed_names.empty()) out.signed_names += ';';
    out.signed_names += lowered[i].first;
    out.block += lowered[i].first + ":" + lowered[i].second + "\n";
  }
  return out;
}

std::string CanonicalQuery(const cloud::HeaderList& query) {
  std::vector<std::pair<std::string, std::string>> encoded;
  for (const auto& [k, v] : query) encoded.emplace_back(UriEncode(k), UriEncode(v));
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [k, v] : encoded) {
    if (!out.empty()) out += '&';
    out += k + "=" + v;
  }
  return out;
}

}  // namespace

cloud::HttpRequest Sign(const SigV4Request& request, std::string_view scheme,
                        const AwsCredentials& credentials) {
  SigV4Result signed_parts = SignV4(request, credentials);
  cloud::HttpRequest out;
  out.method = request.method;
  out.url = std::string(scheme) + "://" + request.host + request.canonical_uri;
  if (std::string q = CanonicalQuery(request.query); !q.empty()) out.url += "?" + q;
  out.headers = request.headers;
  out.headers.emplace_back("Host", request.host);
  for (auto& h : signed_parts.headers) out.headers.push_back(std::move(h));
  out.headers.emplace_back("Authorization", std::move(signed_parts.authorization));
  return out;
}

std::string UriEncodePath(std::string_view path) { return UriEncode(path, /*keep_slash=*/true); }

std::string Sha256Hex(std::string_view data) {
  const Sha256Digest d = Sha256(data);
  return Hex(d.data(), d.size());
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  const Sha256Digest d = HmacSha256Digest(key, data);
  return std::string(reinterpret_cast<const char*>(d.data()), d.size());
}

std::string HostHeaderFor(std::string_view url) {
  const size_t scheme_end = url.find("://");
  std::string host(scheme_end == std::string_view::npos ? url : url.substr(scheme_end + 3));
  host = host.substr(0, host.find('/'));
  const std::string default_port = url.substr(0, 6) == "https:" ? ":443" : ":80";
  if (host.size() > default_port.size() &&
      host.compare(host.size() - default_port.size(), default_port.size(), default_port) == 0) {
    host.resize(host.size() - default_port.size());
  }
  return host;
}

std::string AmzDate(std::time_t t) { return FormatUtc(t, "%Y%m%dT%H%M%SZ"); }

SigV4Result SignV4(const SigV4Request& r, const AwsCredentials& credentials) {
  SWEEP_CHECK(r.amz_date.size() == 16);
  SigV4Result result;
  result.headers.emplace_back("x-amz-date", r.amz_date);
  if (r.service == "s3") result.headers.emplace_back("x-amz-content-sha256", r.payload_hash);
  if (!credentials.session_token.empty()) {
    result.headers.emplace_back("x-amz-security-token", credentials.session_token);
  }
  cloud::HeaderList all = r.headers;
  all.emplace_back("host", r.host);
  all.insert(all.end(), result.headers.begin(), result.headers.end());
  CanonicalHeaders ch = MakeCanonicalHeaders(all);

  result.canonical_request = r.method + "\n" + r.canonical_uri + "\n" + CanonicalQuery(r.query) +
                             "\n" + ch.block + "\n" + ch.signed_names + "\n" + r.payload_hash;
  const std::string date = r.amz_date.substr(0, 8);
  const std::string scope = date + "/" + r.region + "/" + r.service + "/aws4_request";
  result.string_to_sign =
      "AWS4-HMAC-SHA256\n" + r.amz_date + "\n" + scope + "\n" + Sha256Hex(result.canonical_request);

  std::string key = HmacSha256("AWS4" + credentials.secret_access_key, date);
  key = HmacSha256(key, r.region);
  key = HmacSha256(key, r.service);
  key = HmacSha256(key, "aws4_request");
  const std::string sig = HmacSha256(key, result.string_to_sign);
  result.authorization = "AWS4-HMAC-SHA256 Credential=" + credentials.access_key_id + "/" + scope +
                         ", SignedHeaders=" + ch.signed_names + ", Signature=" +
                         Hex(reinterpret_cast<const unsigned char*>(sig.data()), sig.size());
  return result;
}

}  // namespace sweep::aws
