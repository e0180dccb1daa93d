// `sweep serve MODEL`: the HTTP model server (router.h for the routes). The command in
// sweep/cmd_serve.cc only parses flags and calls RunServe.
//
// Vertex AI custom containers: with AIP_HTTP_PORT set the server binds 0.0.0.0 on that port,
// answers AIP_HEALTH_ROUTE (200 once a model is loaded, else 503) and AIP_PREDICT_ROUTE, and
// takes the model from AIP_STORAGE_URI when MODEL is not given.
// AWS Lambda: with AWS_LAMBDA_RUNTIME_API set it runs the custom runtime loop instead of
// listening (lambda_runtime.h); --port, --host, --threads and the Vertex variables do not apply.
// SIGTERM/SIGINT: readiness turns 503, requests already read are answered, and the process
// exits 0 within `drain_ms` + a little (5 s in all by default).
#pragma once

#include <string>

#include "base/status.h"

namespace sweep::serve {

struct ServeOptions {
  std::string model;  // model.h5, ROOT/{index} or ROOT; "" = $AIP_STORAGE_URI
  std::string host = "127.0.0.1";
  int port = 8501;
  std::string name = "model";
  std::string policy = "best";
  double poll_seconds = 1;
  int threads = 0;  // 0 = the CPU quota
  size_t max_body_bytes = 8 << 20;
  bool access_log = true;
  std::string cors_origin;  // "" = no CORS
  int drain_ms = 4500;
  std::string version;  // the program's version, for GET /v2
};

// Returns when the server has drained after a signal. Errors: InvalidArgument (flags, MODEL),
// NotFound (nothing at MODEL), Unavailable (the port cannot be bound).
Status RunServe(ServeOptions options);

}  // namespace sweep::serve
