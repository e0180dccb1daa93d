#include "sweep/serve/serve.h"

#include <fmt/format.h>
#include <signal.h>

#include <cstdio>
#include <thread>

#include "base/cpu.h"
#include "base/log.h"
#include "base/strings.h"
#include "cloud/aws/lambda_runtime_api.h"
#include "sweep/serve/http_server.h"
#include "sweep/serve/lambda_runtime.h"
#include "sweep/serve/router.h"

namespace sweep::serve {
namespace {

// Vertex AI's custom-container variables override the flags they correspond to.
Status ApplyVertexEnv(ServeOptions* o, RouterOptions* r) {
  const std::string port = GetEnv("AIP_HTTP_PORT");
  if (!port.empty()) {
    std::optional<int64_t> p = ParseInt(port, 1, 65535);
    if (!p) return Status::InvalidArgument("AIP_HTTP_PORT=" + port + ": not a port number");
    o->port = static_cast<int>(*p);
    o->host = "0.0.0.0";
    r->health_route = GetEnv("AIP_HEALTH_ROUTE");
    r->predict_route = GetEnv("AIP_PREDICT_ROUTE");
  }
  if (o->model.empty()) o->model = GetEnv("AIP_STORAGE_URI");
  if (o->model.empty()) {
    return Status::InvalidArgument(
        "no MODEL given (a model.h5, a row folder or a sweep root) "
        "and AIP_STORAGE_URI is not set");
  }
  return Status::Ok();
}

void ReportLoad(const Status& s, const predict::LoadedModel* m, bool first,
                ServerMetrics* metrics) {
  if (!first) metrics->Reloaded(s.ok());
  if (!s.ok()) {
    log::Warn("sweep serve: " +
              std::string(first ? "cannot load the model: "
                                : "reload failed, "
                                  "the old model keeps serving: ") +
              s.message());
    return;
  }
  metrics->SetVersion(m->version);
  metrics->SetReady(true);
  log::Info(fmt::format("sweep serve: {} version {} ({} -> {}, {} classes)",
                        first ? "serving" : "now serving", m->version, m->source, m->input.width,
                        m->outputs()));
}

// Blocks SIGTERM/SIGINT in every thread (call before starting any) and waits for one on a
// thread of its own, then runs `on_signal`.
std::thread WatchSignals(std::function<void(int)> on_signal) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return std::thread([set, on_signal] {
    int sig = 0;
    sigwait(&set, &sig);
    on_signal(sig);
  });
}

void AccessLog(const HttpRequest& req, const HttpResponse& res, std::chrono::nanoseconds t,
               size_t bytes) {
  std::string version = "-";
  for (const auto& [k, v] : res.headers) {
    if (k == "X-Model-Version") version = v;
  }
  const std::string line = fmt::format("{} {} {} {}B {:.3f}ms v{}\n", req.method, req.target,
                                       res.status, bytes, t.count() / 1e6, version);
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace

Status RunServe(ServeOptions o) {
  if (const std::string api = aws::LambdaRuntimeApiAddress(); !api.empty()) {
    return RunLambdaRuntime(o, api);
  }
  RouterOptions ro{o.name, "", "", o.cors_origin, o.version};
  SWEEP_RETURN_IF_ERROR(ApplyVertexEnv(&o, &ro));
  if (o.poll_seconds <= 0) return Status::InvalidArgument("--poll-seconds must be > 0");
  SWEEP_ASSIGN_OR_RETURN(predict::Policy policy, predict::ParsePolicy(o.policy));
  SWEEP_ASSIGN_OR_RETURN(std::unique_ptr<predict::ModelWatcher> watcher,
                         predict::ModelWatcher::Open(o.model, policy));
  ServerMetrics metrics;
  ModelRegistry registry(std::move(watcher),
                         [&metrics](const Status& s, const predict::LoadedModel* m, bool first) {
                           ReportLoad(s, m, first, &metrics);
                         });
  Router router(ro, &registry, &metrics);
  HttpServerOptions ho;
  ho.host = o.host;
  ho.port = o.port;
  ho.threads = o.threads > 0 ? o.threads : AvailableCpus();
  ho.body_limit = o.max_body_bytes;
  ho.too_large = [limit = o.max_body_bytes](HttpResponse* res) {
    res->status = 413;
    res->tag = static_cast<int>(Route::kUnknown);
    res->body =
        predict::ErrorJson(fmt::format("the body is larger than {} bytes "
                                       "(--max-body-mb)",
                                       limit));
  };
  ho.observer = [&metrics, log = o.access_log](const HttpRequest& req, const HttpResponse& res,
                                               std::chrono::nanoseconds t, size_t bytes) {
    metrics.Record(static_cast<Route>(res.tag), res.status, t.count() / 1e9);
    if (log) AccessLog(req, res, t, bytes);
  };
  HttpServer server(
      ho, [&router](const HttpRequest& req, HttpResponse* res) { router.Handle(req, res); });
  std::thread signals = WatchSignals([&](int sig) {
    log::Info(fmt::format("sweep serve: signal {}: not ready, draining", sig));
    router.StopReady();
    metrics.SetReady(false);
    server.Shutdown(std::chrono::milliseconds(o.drain_ms));
  });
  signals.detach();  // exits with the process
  SWEEP_RETURN_IF_ERROR(server.Listen());
  log::Info(
      fmt::format("sweep serve: listening on http://{}:{} (model '{}', policy {}, {} threads)",
                  o.host, server.port(), o.name, policy.Name(), ho.threads));
  registry.Start(std::chrono::milliseconds(static_cast<int64_t>(o.poll_seconds * 1000)));
  server.Run();
  registry.Stop();
  log::Info("sweep serve: drained, exiting");
  return Status::Ok();
}

}  // namespace sweep::serve
