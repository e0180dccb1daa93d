#include "storage/http.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <mutex>

namespace sweep::storage {
namespace {

void GlobalInitOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

// The URL without its query string: queries may carry upload ids or tokens; keep messages short.
std::string UrlForMessage(const std::string& url) { return url.substr(0, url.find('?')); }

struct Transfer {
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

size_t WriteBody(char* src, size_t size, size_t n, void* arg) {
  auto* t = static_cast<Transfer*>(arg);
  const size_t bytes = size * n;
  long code = 0;
  curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &code);
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
    std::string name = Trim(line.substr(0, colon));
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    t->response->headers.emplace_back(std::move(name), Trim(line.substr(colon + 1)));
  }
  return size * n;
}

struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

}  // namespace

std::string HttpResponse::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k == name) return v;
  }
  return "";
}

struct HttpClient::Impl {
  CURL* curl = nullptr;
};

HttpClient::HttpClient() : impl_(std::make_unique<Impl>()) {
  GlobalInitOnce();
  impl_->curl = curl_easy_init();
}

HttpClient::~HttpClient() {
  if (impl_->curl != nullptr) curl_easy_cleanup(impl_->curl);
}

StatusOr<HttpResponse> HttpClient::Do(const HttpRequest& req) {
  const std::string what = req.method + " " + UrlForMessage(req.url);
  CURL* curl = impl_->curl;
  if (curl == nullptr) return Status::Internal(what + ": curl_easy_init failed");
  curl_easy_reset(curl);  // keeps the connection cache

  HttpResponse response;
  Transfer t{curl, &req, &response};
  std::unique_ptr<curl_slist, SlistDeleter> headers;
  auto add_header = [&](const std::string& h) {
    headers.reset(curl_slist_append(headers.release(), h.c_str()));
  };
  for (const auto& [k, v] : req.headers) add_header(k + ": " + v);
  add_header("Expect:");  // no 100-continue round trip

  curl_easy_setopt(curl, CURLOPT_URL, req.url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, req.connect_timeout_ms);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, req.timeout_ms);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1024L);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, req.low_speed_time_s);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, WriteBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, ReadHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &t);

  if (req.method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else if (req.method == "GET") {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
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
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, req.method.c_str());
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, ReadBody);
    curl_easy_setopt(curl, CURLOPT_READDATA, &t);
    curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(length));
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());

  CURLcode rc = curl_easy_perform(curl);
  if (t.in != nullptr) std::fclose(t.in);
  if (t.out != nullptr && std::fclose(t.out) != 0) t.out_failed = true;
  if (t.out_failed) return Status::Unavailable(what + ": cannot write " + req.response_file);
  if (rc != CURLE_OK) return FromCurl(rc, what);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  if (!req.response_file.empty() && t.out == nullptr && response.status / 100 == 2) {
    // An empty 2xx body still produces the (empty) file.
    FILE* f = std::fopen(req.response_file.c_str(), "wb");
    if (f == nullptr || std::fclose(f) != 0) {
      return Status::Unavailable(what + ": cannot write " + req.response_file);
    }
  }
  return response;
}

Status FromCurl(int curl_code, std::string_view what) {
  const auto code = static_cast<CURLcode>(curl_code);
  std::string msg = std::string(what) + ": " + curl_easy_strerror(code);
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

}  // namespace sweep::storage
