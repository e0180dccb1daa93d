// The server's routes: TensorFlow Serving REST, KServe V2 (Open Inference Protocol), the
// Vertex AI custom-container contract, /metrics, and CORS preflight. Every answer is JSON; an
// error is {"error": "..."} with TF Serving's codes: 400 bad body (the message names the
// expected shape), 404 unknown model/version/route, 405 wrong method, 413 too large (set by
// the HTTP layer), 503 no model or draining, 500 a bug. Each answer from a model carries the
// version (row index) that computed it in the X-Model-Version header.
//
//   GET  /v1/models                                        the models served here
//   GET  /v1/models/NAME[/versions/N|/labels/L]            model_version_status, name, ready
//   GET  /v1/models/NAME[/versions/N|/labels/L]/metadata    inputs, outputs, classes, params
//   POST /v1/models/NAME[/versions/N|/labels/L]:predict     {"instances"} | {"inputs"}
//   GET  /v2  /v2/health/live  /v2/health/ready
//   GET  /v2/models/NAME[/versions/V]  .../ready;  POST .../infer
//   GET  $AIP_HEALTH_ROUTE;  POST $AIP_PREDICT_ROUTE        (when set)
//   GET  /metrics                                          Prometheus text
// A version is a row index; the label that names the policy (best, latest) is the one served.
#pragma once

#include <atomic>
#include <string>

#include "sweep/serve/http_server.h"
#include "sweep/serve/metrics.h"
#include "sweep/serve/model_registry.h"

namespace sweep::serve {

struct RouterOptions {
  std::string name = "model";  // NAME in the paths
  std::string health_route;    // Vertex AIP_HEALTH_ROUTE ("" = none)
  std::string predict_route;   // Vertex AIP_PREDICT_ROUTE ("" = none)
  std::string cors_origin;     // Access-Control-Allow-Origin value ("" = no CORS headers)
  std::string server_version;  // GET /v2 "version"
};

class Router {
 public:
  Router(RouterOptions options, ModelRegistry* registry, ServerMetrics* metrics);

  void Handle(const HttpRequest& req, HttpResponse* res);
  // Readiness goes to 503 for good (SIGTERM: drain).
  void StopReady() { stopping_ = true; }
  bool ready() const;

  struct Target;  // a parsed /v1|v2/models/NAME[/versions/N|/labels/L]... path (router.cc)

 private:
  void Predict(const HttpRequest& req, const Target& t, HttpResponse* res);
  void ModelStatus(const Target& t, bool metadata, HttpResponse* res);
  void V2(const HttpRequest& req, const std::string& path, HttpResponse* res);
  void V2Model(const HttpRequest& req, const Target& t, const std::string& rest, HttpResponse* res);
  std::shared_ptr<const predict::LoadedModel> Model(const Target& t, HttpResponse* res);

  RouterOptions options_;
  ModelRegistry* registry_;
  ServerMetrics* metrics_;
  std::atomic<bool> stopping_{false};
};

}  // namespace sweep::serve
