#include "cloud/http.h"

#include <curl/curl.h>
#include <dlfcn.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <memory>
#include <string>
#include <type_traits>

#include "base/strings.h"

namespace sweep::cloud {

// libcurl is opened with dlopen on the first request, not linked: a linked libcurl maps ~30
// shared objects (TLS, HTTP/2, LDAP, Kerberos, SSH, ...) into every process at exec, ~8 ms of
// dynamic loading per worker start, although a worker on local paths never makes a request.
// curl.h is still used for the types and constants (the ABI of libcurl.so.4 is stable).
namespace internal {

struct CurlApi {
  decltype(&curl_global_init) global_init;
  decltype(&curl_easy_init) easy_init;
  decltype(&curl_easy_cleanup) easy_cleanup;
  decltype(&curl_easy_reset) easy_reset;
  decltype(&curl_easy_setopt) easy_setopt;
  decltype(&curl_easy_perform) easy_perform;
  decltype(&curl_easy_getinfo) easy_getinfo;
  decltype(&curl_easy_strerror) easy_strerror;
  decltype(&curl_slist_append) slist_append;
  decltype(&curl_slist_free_all) slist_free_all;
};

StatusOr<const CurlApi*> LoadCurl(const char* soname) {
  void* lib = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (lib == nullptr) {
    const char* why = dlerror();
    return Status::Internal(
        std::string("S3 and other HTTP requests need libcurl, which could not be loaded (") +
        (why ? why : soname) + "); install it (Debian: apt-get install libcurl4)");
  }
  auto api = std::make_unique<CurlApi>();
  bool ok = true;
  auto bind = [&](auto& fn, const char* name) {
    fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(dlsym(lib, name));
    ok = ok && fn != nullptr;
  };
  bind(api->global_init, "curl_global_init");
  bind(api->easy_init, "curl_easy_init");
  bind(api->easy_cleanup, "curl_easy_cleanup");
  bind(api->easy_reset, "curl_easy_reset");
  bind(api->easy_setopt, "curl_easy_setopt");
  bind(api->easy_perform, "curl_easy_perform");
  bind(api->easy_getinfo, "curl_easy_getinfo");
  bind(api->easy_strerror, "curl_easy_strerror");
  bind(api->slist_append, "curl_slist_append");
  bind(api->slist_free_all, "curl_slist_free_all");
  if (!ok) {
    dlclose(lib);
    return Status::Internal(std::string(soname) + " lacks a libcurl function this program needs");
  }
  if (CURLcode rc = api->global_init(CURL_GLOBAL_DEFAULT); rc != CURLE_OK) {
    return Status::Internal(std::string("curl_global_init: ") + api->easy_strerror(rc));
  }
  return api.release();  // lives as long as the process, like the library
}

}  // namespace internal

namespace {

using internal::CurlApi;

// Loaded once per process, on first use; the outcome (library or error) is kept.
const StatusOr<const CurlApi*>& Curl() {
  static const StatusOr<const CurlApi*> api = internal::LoadCurl("libcurl.so.4");
  return api;
}

// The URL without its query string: queries may carry upload ids or tokens; keep messages short.
std::string UrlForMessage(const std::string& url) { return url.substr(0, url.find('?')); }

struct Transfer {
  const CurlApi* api = nullptr;
  CURL* curl = nullptr;
  const HttpRequest* request = nullptr;
  HttpResponse* response = nullptr;
  // Request body source.
  size_t mem_pos = 0;
  FILE* in = nullptr;
  int64_t in_left = 0;
  // Response body sink for 2xx when response_file is set.
  FILE* out = nullptr;
  bool out_failed = false;
};

size_t ReadBody(char* dst, size_t size, size_t n, void* arg) {
  auto* t = static_cast<Transfer*>(arg);
  size_t want = size * n;
  if (t->in != nullptr) {
    want = static_cast<size_t>(std::min<int64_t>(static_cast<int64_t>(want), t->in_left));
    size_t got = std::fread(dst, 1, want, t->in);
    if (got < want && std::ferror(t->in)) return CURL_READFUNC_ABORT;
    t->in_left -= static_cast<int64_t>(got);
    return got;
  }
  std::string_view body = t->request->body;
  size_t got = std::min(want, body.size() - t->mem_pos);
  std::copy_n(body.data() + t->mem_pos, got, dst);
  t->mem_pos += got;
  return got;
}

// libcurl rewinds the body when it sends the request again on a new connection (a reused
// keep-alive connection the server had closed or reset); without this the transfer fails with
// CURLE_SEND_FAIL_REWIND instead of being resent.
int SeekBody(void* arg, curl_off_t offset, int origin) {
  auto* t = static_cast<Transfer*>(arg);
  if (origin != SEEK_SET || offset < 0) return CURL_SEEKFUNC_CANTSEEK;
  if (t->in != nullptr) {
    if (offset > t->request->body_length ||
        std::fseek(t->in, static_cast<long>(t->request->body_offset + offset), SEEK_SET) != 0) {
      return CURL_SEEKFUNC_FAIL;
    }
    t->in_left = t->request->body_length - offset;
    return CURL_SEEKFUNC_OK;
  }
  if (static_cast<size_t>(offset) > t->request->body.size()) return CURL_SEEKFUNC_FAIL;
  t->mem_pos = static_cast<size_t>(offset);
  return CURL_SEEKFUNC_OK;
}

size_t WriteBody(char* src, size_t size, size_t n, void* arg) {
  auto* t = static_cast<Transfer*>(arg);
  const size_t bytes = size * n;
  long code = 0;
  t->api->easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &code);
  if (t->request->response_file.empty() || code < 200 || code >= 300) {
    t->response->body.append(src, bytes);
    return bytes;
  }
  if (t->out == nullptr) t->out = std::fopen(t->request->response_file.c_str(), "wb");
  if (t->out == nullptr || std::fwrite(src, 1, bytes, t->out) != bytes) {
    t->out_failed = true;
    return 0;  // aborts the transfer with CURLE_WRITE_ERROR
  }
  return bytes;
}

size_t ReadHeader(char* src, size_t size, size_t n, void* arg) {
  auto* t = static_cast<Transfer*>(arg);
  std::string_view line(src, size * n);
  if (line.rfind("HTTP/", 0) == 0) {
    t->response->headers.clear();  // a new status line (after 100 Continue)
  } else if (size_t colon = line.find(':'); colon != std::string_view::npos) {
    std::string name = AsciiLower(Trim(line.substr(0, colon)));
    t->response->headers.emplace_back(std::move(name), Trim(line.substr(colon + 1)));
  }
  return size * n;
}

struct SlistDeleter {
  const CurlApi* api;
  void operator()(curl_slist* l) const { api->slist_free_all(l); }
};

}  // namespace

std::string HttpResponse::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k == name) return v;
  }
  return "";
}

struct HttpClient::Impl {
  CURL* curl = nullptr;  // created on the first request (which loads libcurl)
};

HttpClient::HttpClient() : impl_(std::make_unique<Impl>()) {}

HttpClient::~HttpClient() {
  if (impl_->curl != nullptr) (*Curl())->easy_cleanup(impl_->curl);
}

StatusOr<HttpResponse> HttpClient::Do(const HttpRequest& req) {
  const std::string what = req.method + " " + UrlForMessage(req.url);
  if (!Curl().ok()) return Curl().status().WithContext(what);
  const CurlApi& api = **Curl();
  if (impl_->curl == nullptr) impl_->curl = api.easy_init();
  CURL* curl = impl_->curl;
  if (curl == nullptr) return Status::Internal(what + ": curl_easy_init failed");
  api.easy_reset(curl);  // keeps the connection cache

  HttpResponse response;
  Transfer t{&api, curl, &req, &response};
  std::unique_ptr<curl_slist, SlistDeleter> headers(nullptr, SlistDeleter{&api});
  auto add_header = [&](const std::string& h) {
    headers.reset(api.slist_append(headers.release(), h.c_str()));
  };
  for (const auto& [k, v] : req.headers) add_header(k + ": " + v);
  add_header("Expect:");  // no 100-continue round trip

  api.easy_setopt(curl, CURLOPT_URL, req.url.c_str());
  api.easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  api.easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  api.easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  api.easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  api.easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, req.connect_timeout_ms);
  api.easy_setopt(curl, CURLOPT_TIMEOUT_MS, req.timeout_ms);
  api.easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1024L);
  api.easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, req.low_speed_time_s);
  api.easy_setopt(curl, CURLOPT_WRITEFUNCTION, WriteBody);
  api.easy_setopt(curl, CURLOPT_WRITEDATA, &t);
  api.easy_setopt(curl, CURLOPT_HEADERFUNCTION, ReadHeader);
  api.easy_setopt(curl, CURLOPT_HEADERDATA, &t);

  if (req.method == "HEAD") {
    api.easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else if (req.method == "GET") {
    api.easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  } else {
    // Every other verb streams its body (possibly empty) through ReadBody.
    int64_t length = static_cast<int64_t>(req.body.size());
    if (!req.body_file.empty()) {
      t.in = std::fopen(req.body_file.c_str(), "rb");
      if (t.in == nullptr || std::fseek(t.in, static_cast<long>(req.body_offset), SEEK_SET) != 0) {
        if (t.in != nullptr) std::fclose(t.in);
        return Status::Unavailable(what + ": cannot read " + req.body_file);
      }
      length = t.in_left = req.body_length;
    }
    api.easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    api.easy_setopt(curl, CURLOPT_CUSTOMREQUEST, req.method.c_str());
    api.easy_setopt(curl, CURLOPT_READFUNCTION, ReadBody);
    api.easy_setopt(curl, CURLOPT_READDATA, &t);
    api.easy_setopt(curl, CURLOPT_SEEKFUNCTION, SeekBody);
    api.easy_setopt(curl, CURLOPT_SEEKDATA, &t);
    api.easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(length));
  }
  api.easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());

  CURLcode rc = api.easy_perform(curl);
  if (t.in != nullptr) std::fclose(t.in);
  if (t.out != nullptr && std::fclose(t.out) != 0) t.out_failed = true;
  if (t.out_failed) return Status::Unavailable(what + ": cannot write " + req.response_file);
  if (rc != CURLE_OK) return FromCurl(rc, what);
  api.easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  if (!req.response_file.empty() && t.out == nullptr && response.status / 100 == 2) {
    // An empty 2xx body still produces the (empty) file.
    FILE* f = std::fopen(req.response_file.c_str(), "wb");
    if (f == nullptr || std::fclose(f) != 0) {
      return Status::Unavailable(what + ": cannot write " + req.response_file);
    }
  }
  return response;
}

std::string UriEncode(std::string_view s, bool keep_slash) {
  static const char* const kDigits = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size() * 3);
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' ||
        (keep_slash && c == '/')) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kDigits[c >> 4];
      out += kDigits[c & 15];
    }
  }
  return out;
}

Status FromCurl(int curl_code, std::string_view what) {
  const auto code = static_cast<CURLcode>(curl_code);
  // The codes come from a loaded libcurl; without one (unit tests) the number still says it.
  std::string msg =
      std::string(what) + ": " +
      (Curl().ok() ? (*Curl())->easy_strerror(code) : "curl error " + std::to_string(curl_code));
  switch (code) {
    case CURLE_OK:
      return Status::Ok();
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_PARTIAL_FILE:
    case CURLE_GOT_NOTHING:
    case CURLE_SEND_ERROR:
    case CURLE_SEND_FAIL_REWIND:  // the connection broke and the body could not be resent
    case CURLE_RECV_ERROR:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_HTTP3:
    case CURLE_WRITE_ERROR:
    case CURLE_READ_ERROR:
    case CURLE_ABORTED_BY_CALLBACK:
    case CURLE_AGAIN:
      return Status::Unavailable(std::move(msg));
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_LOGIN_DENIED:
      return Status::InvalidArgument(std::move(msg));
    default:
      return Status::Internal(std::move(msg));
  }
}

}  // namespace sweep::cloud
