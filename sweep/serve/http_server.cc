#include "sweep/serve/http_server.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstdio>
#include <optional>
#include <thread>

namespace sweep::serve {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

}  // namespace

class HttpServer::Impl {
 public:
  Impl(HttpServerOptions options, HttpHandler handler)
      : options_(std::move(options)),
        handler_(std::move(handler)),
        iocs_(MakeContexts(std::max(1, options_.threads))),
        acceptor_(*iocs_[0]),
        drain_timer_(*iocs_[0]) {
    for (auto& c : iocs_) guards_.emplace_back(c->get_executor());  // run() waits for work
  }

  Status Listen();
  void Run();
  void Shutdown(std::chrono::milliseconds drain);
  int port() const { return port_; }

  const HttpServerOptions& options() const { return options_; }
  const HttpHandler& handler() const { return handler_; }
  bool draining() const { return draining_.load(std::memory_order_relaxed); }
  void RequestStarted() { in_flight_.fetch_add(1); }
  void RequestDone() {
    if (in_flight_.fetch_sub(1) == 1 && draining()) MaybeStop();
  }

 private:
  void Accept();
  void MaybeStop() {
    if (in_flight_.load() == 0) StopAll();
  }

  HttpServerOptions options_;
  HttpHandler handler_;
  // One io_context per thread, each run by its thread alone (no strands, no contended locks);
  // accepted connections are dealt to them in turn.
  static std::vector<std::unique_ptr<net::io_context>> MakeContexts(int n) {
    std::vector<std::unique_ptr<net::io_context>> v;
    for (int i = 0; i < n; ++i) v.push_back(std::make_unique<net::io_context>(1));
    return v;
  }
  void StopAll() {
    for (auto& c : iocs_) c->stop();
  }
  std::vector<std::unique_ptr<net::io_context>> iocs_;
  std::vector<net::executor_work_guard<net::io_context::executor_type>> guards_;
  size_t next_ = 0;
  tcp::acceptor acceptor_;
  net::steady_timer drain_timer_;
  std::atomic<bool> draining_{false};
  std::atomic<int64_t> in_flight_{0};
  int port_ = 0;
};

namespace {

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, HttpServer::Impl* server)
      : socket_(std::move(socket)), server_(server) {}

  void Start() { Read(); }

 private:
  void Read() {
    parser_.emplace();
    parser_->body_limit(server_->options().body_limit);
    http::async_read(
        socket_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnRead(ec); });
  }

  void OnRead(beast::error_code ec) {
    if (ec == http::error::body_limit) {
      started_ = std::chrono::steady_clock::now();
      server_->RequestStarted();
      out_.Reset();
      if (server_->options().too_large) server_->options().too_large(&out_);
      request_ = {};
      Write(/*keep_alive=*/false);
      return;
    }
    if (ec) return Close();  // end of stream, reset, or a malformed request line/header
    started_ = std::chrono::steady_clock::now();
    server_->RequestStarted();
    auto& req = parser_->get();
    request_.method = std::string_view(req.method_string().data(), req.method_string().size());
    request_.target = std::string_view(req.target().data(), req.target().size());
    request_.body = req.body();
    auto origin = req.find(http::field::origin);
    request_.origin = origin == req.end()
                          ? std::string_view()
                          : std::string_view(origin->value().data(), origin->value().size());
    out_.Reset();
    try {
      server_->handler()(request_, &out_);
    } catch (const std::exception& e) {  // a bug: answer 500 and keep serving
      out_.Reset();
      out_.status = 500;
      out_.body = std::string("{\"error\":\"internal error\"}");
      std::fprintf(stderr, "sweep serve: internal error on %.*s: %s\n",
                   static_cast<int>(request_.target.size()), request_.target.data(), e.what());
    }
    Write(req.keep_alive() && !server_->draining());
  }

  void Write(bool keep_alive) {
    res_.result(static_cast<unsigned>(out_.status));
    res_.version(11);
    res_.clear();
    res_.set(http::field::content_type, out_.content_type);
    for (const auto& [k, v] : out_.headers) res_.set(k, v);
    res_.keep_alive(keep_alive);
    res_.body().swap(out_.body);  // the response takes the buffer; it comes back after writing
    res_.prepare_payload();
    http::async_write(socket_, res_,
                      [self = shared_from_this(), keep_alive](beast::error_code ec, size_t n) {
                        self->OnWrite(ec, n, keep_alive);
                      });
  }

  void OnWrite(beast::error_code ec, size_t bytes, bool keep_alive) {
    res_.body().swap(out_.body);
    if (server_->options().observer) {
      server_->options().observer(request_, out_, std::chrono::steady_clock::now() - started_,
                                  bytes);
    }
    server_->RequestDone();
    if (ec || !keep_alive) return Close();
    Read();
  }

  // Ends the connection without a reset: after our FIN, what the client still sends (the rest
  // of a body past the limit) is read and dropped, up to 64 MiB or 5 s, so that it sees our
  // answer instead of a broken pipe.
  void Close() {
    beast::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_send, ignored);
    linger_ = std::make_unique<net::steady_timer>(socket_.get_executor());
    linger_->expires_after(std::chrono::seconds(5));
    linger_->async_wait([self = shared_from_this()](beast::error_code ec) {
      beast::error_code ignored;
      if (!ec) self->socket_.close(ignored);
    });
    Discard(0);
  }

  void Discard(size_t total) {
    if (discard_.empty()) discard_.resize(64 << 10);
    socket_.async_read_some(net::buffer(discard_),
                            [self = shared_from_this(), total](beast::error_code ec, size_t n) {
                              if (ec || total + n > (64u << 20)) {
                                self->linger_->cancel();
                                return;
                              }
                              self->Discard(total + n);
                            });
  }

  tcp::socket socket_;
  HttpServer::Impl* server_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> res_;
  HttpRequest request_;
  HttpResponse out_;
  std::chrono::steady_clock::time_point started_;
  std::unique_ptr<net::steady_timer> linger_;
  std::vector<char> discard_;
};

}  // namespace

Status HttpServer::Impl::Listen() {
  beast::error_code ec;
  const auto address = net::ip::make_address(options_.host, ec);
  if (ec) return Status::InvalidArgument("--host " + options_.host + ": not an IP address");
  const tcp::endpoint at(address, static_cast<unsigned short>(options_.port));
  const std::string where = options_.host + ":" + std::to_string(options_.port);
  acceptor_.open(at.protocol(), ec);
  if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(at, ec);
  if (!ec) acceptor_.listen(options_.backlog, ec);
  if (ec) return Status::Unavailable(where + ": " + ec.message());
  port_ = acceptor_.local_endpoint().port();
  Accept();
  return Status::Ok();
}

void HttpServer::Impl::Accept() {
  net::io_context& target = *iocs_[next_++ % iocs_.size()];
  acceptor_.async_accept(target, [this](beast::error_code ec, tcp::socket s) {
    if (ec) {
      if (acceptor_.is_open()) Accept();  // e.g. EMFILE: keep serving the open connections
      return;
    }
    s.set_option(tcp::no_delay(true), ec);
    std::make_shared<Session>(std::move(s), this)->Start();
    Accept();
  });
}

void HttpServer::Impl::Run() {
  std::vector<std::thread> extra;
  for (int i = 1; i < std::max(1, options_.threads); ++i)
    extra.emplace_back([this, i] { iocs_[i]->run(); });
  iocs_[0]->run();
  for (auto& t : extra) t.join();
}

void HttpServer::Impl::Shutdown(std::chrono::milliseconds drain) {
  net::post(*iocs_[0], [this, drain] {
    draining_ = true;
    beast::error_code ignored;
    acceptor_.close(ignored);
    drain_timer_.expires_after(drain);
    drain_timer_.async_wait([this](beast::error_code) { StopAll(); });
    MaybeStop();
  });
}

HttpServer::HttpServer(HttpServerOptions options, HttpHandler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}
HttpServer::~HttpServer() = default;
Status HttpServer::Listen() { return impl_->Listen(); }
int HttpServer::port() const { return impl_->port(); }
void HttpServer::Run() { impl_->Run(); }
void HttpServer::Shutdown(std::chrono::milliseconds drain) { impl_->Shutdown(drain); }

}  // namespace sweep::serve
