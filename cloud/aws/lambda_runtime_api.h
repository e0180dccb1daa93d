// The AWS Lambda Runtime API (version 2018-06-01), the client half of a custom runtime: what
// `sweep serve` calls when Lambda runs it (sweep/serve/lambda_runtime.h).
// Base http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime:
//   GET  /invocation/next              the next event; blocks while the function is idle
//   POST /invocation/{id}/response     the result (any JSON)
//   POST /invocation/{id}/error        {"errorMessage", "errorType"}, with the
//                                      Lambda-Runtime-Function-Error-Type header
//   POST /init/error                   the same body when initialization failed
// Thread-safety: one LambdaRuntimeApi per thread (one kept-alive connection).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"
#include "cloud/http.h"

namespace sweep::aws {

// $AWS_LAMBDA_RUNTIME_API ("127.0.0.1:9001"): set only when Lambda runs the process.
std::string LambdaRuntimeApiAddress();

struct LambdaInvocation {
  std::string id;           // Lambda-Runtime-Aws-Request-Id
  std::string trace;        // Lambda-Runtime-Trace-Id ("" when absent), for _X_AMZN_TRACE_ID
  int64_t deadline_ms = 0;  // Lambda-Runtime-Deadline-Ms, Unix epoch ms (0 when absent)
  std::string event;        // the body
};

// The Runtime API's error body: {"errorMessage": message, "errorType": type}.
std::string LambdaErrorBody(std::string_view type, std::string_view message);

class LambdaRuntimeApi {
 public:
  explicit LambdaRuntimeApi(const std::string& address);

  // No client timeout and no low-speed abort: an idle function waits here for hours.
  // Errors: Unavailable (transport, a non-200 answer, no request id).
  StatusOr<LambdaInvocation> Next();
  Status Respond(const std::string& id, std::string_view body);
  // `body` is LambdaErrorBody(type, ...).
  Status Fail(const std::string& id, std::string_view type, std::string_view body);
  Status InitError(std::string_view type, std::string_view message);

 private:
  Status Post(const std::string& path, std::string_view body, std::string_view error_type);

  cloud::HttpClient http_;
  std::string base_;
};

}  // namespace sweep::aws
