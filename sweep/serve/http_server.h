// A small HTTP/1.1 server over Boost.Beast: keep-alive, a body limit (413 past it), TCP_NODELAY,
// a chosen listen backlog, N threads running one io_context, and a graceful drain. The handler
// runs on the server's own threads (inference included) and fills a response whose buffers are
// reused from request to request on the same connection.
//
// Why Beast (README "Serving"): asynchronous (an idle keep-alive connection holds no thread),
// the backlog, TCP_NODELAY and the body limit are ours to set; Debian's cpp-httplib fixes the
// backlog at 5 and ties a thread to each keep-alive connection.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"

namespace sweep::serve {

struct HttpRequest {
  std::string_view method;  // "GET", "POST", ...
  std::string_view target;  // path and query as sent
  std::string_view body;
  std::string_view origin;  // the Origin header, "" when absent
};

struct HttpResponse {
  int status = 200;
  std::string body;  // capacity kept between requests
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  int tag = 0;  // the handler's label for the observer (which route answered)
  void Reset() {
    status = 200;
    tag = 0;
    body.clear();
    content_type = "application/json";
    headers.clear();
  }
};

// Called for every request, on a server thread, possibly on several threads at once.
using HttpHandler = std::function<void(const HttpRequest&, HttpResponse*)>;
// Called once per request after the response is written (access log, metrics).
using HttpObserver = std::function<void(const HttpRequest&, const HttpResponse&,
                                        std::chrono::nanoseconds latency, size_t bytes_out)>;

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  int port = 8501;  // 0 = any free port (see port())
  int threads = 1;
  size_t body_limit = 8 << 20;  // bytes; larger bodies get 413
  int backlog = 4096;
  // Called when a body is over the limit, to fill the 413 (the connection then closes).
  std::function<void(HttpResponse*)> too_large;
  HttpObserver observer;
};

class HttpServer {
 public:
  HttpServer(HttpServerOptions options, HttpHandler handler);
  ~HttpServer();

  // Binds and listens. Errors: Unavailable ("127.0.0.1:8501: Address already in use").
  Status Listen();
  int port() const;  // the bound port, after Listen

  // Serves on options.threads threads (the caller's among them) until Shutdown has drained.
  void Run();

  // Any thread, also a signal-watching one: stops accepting, answers requests already read
  // (with Connection: close), and returns Run once none is in flight or `drain` has passed.
  void Shutdown(std::chrono::milliseconds drain);

  class Impl;  // public only so that http_server.cc's sessions can name it

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace sweep::serve
