// `sweep serve` as an AWS Lambda custom runtime: with AWS_LAMBDA_RUNTIME_API set, RunServe
// calls RunLambdaRuntime instead of listening on a port. Protocol (AWS "Runtime API", version
// 2018-06-01, base http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime):
//
//   init        the model is chosen (MODEL: a model.h5, a row folder, or a local or s3://
//               sweep root under --policy best|latest|index:N) and loaded; s3:// models are
//               cached under $SWEEP_CACHE_DIR, /tmp/sweep-cache when unset (the only writable
//               place in Lambda). Failure: POST /init/error {"errorMessage","errorType":
//               "Sweep.InitError"}, then return the error (the process exits).
//   loop        GET /invocation/next (no client timeout: it blocks until an event comes);
//               Lambda-Runtime-Trace-Id is copied to _X_AMZN_TRACE_ID (unset when absent);
//               the event is answered through the same Router as the HTTP server
//               (lambda_event.h: direct predict bodies and API Gateway / function URL
//               envelopes): POST /invocation/{id}/response, or /invocation/{id}/error with
//               {"errorMessage","errorType"} and the Lambda-Runtime-Function-Error-Type header.
//   deadline    an event whose Lambda-Runtime-Deadline-Ms (epoch ms) has passed is not
//               computed: a direct invoke gets errorType Sweep.DeadlineExceeded, an HTTP event
//               a 504.
//   newer model a warm function re-checks the policy before an invocation when the last check
//               is `poll_seconds` old or more and at least 1 s of the deadline remains; a newer
//               model is loaded before it answers, a failed check keeps the old model.
// One line per invocation on stderr (CloudWatch): request id, kind, status, ms, version, trace.
#pragma once

#include "base/status.h"
#include "sweep/serve/serve.h"

namespace sweep::serve {

// Returns only on failure: the init error after posting it, or Unavailable when the Runtime
// API cannot be reached (a Lambda sandbox then restarts the runtime).
Status RunLambdaRuntime(const ServeOptions& options, const std::string& runtime_api);

}  // namespace sweep::serve
