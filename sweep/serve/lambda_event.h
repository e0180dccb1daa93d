// AWS Lambda events in and replies out, for the custom runtime (lambda_runtime.h). Pure
// functions of strings: the Runtime API loop is elsewhere.
//
// Events (the invocation's JSON body):
//   direct      {"instances": ...} or {"inputs": ...} (a TF Serving predict body, as
//               `aws lambda invoke` sends it): routed as POST /v1/models/NAME:predict.
//               200 -> the router's body is the function's result; any other status -> an
//               error {"errorMessage", "errorType"} posted to .../error.
//   HTTP        API Gateway HTTP API payload 2.0 and Lambda function URLs ("version": "2.0",
//               "rawPath", "rawQueryString", lower-case "headers", "requestContext.http.method",
//               "body", "isBase64Encoded"); also REST API / payload 1.0 ("httpMethod", "path").
//               Routed by method and path like an HTTP request to `sweep serve`, answered with
//               {"statusCode", "headers", "body", "isBase64Encoded": false} whatever the status.
//   anything else is malformed: InvalidArgument naming what was expected.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "sweep/serve/http_server.h"

namespace sweep::serve {

struct LambdaCall {
  bool http = false;  // an HTTP envelope (reply with statusCode...) rather than a direct invoke
  std::string method;
  std::string target;  // path and "?query"
  std::string body;    // decoded from base64 when isBase64Encoded
  std::string origin;  // the Origin header, for CORS
  // As the router reads it; valid while this LambdaCall lives.
  HttpRequest Request() const { return {method, target, body, origin}; }
};

// Classifies and unpacks an event; `model_name` names the predict path of a direct event.
// Errors: InvalidArgument (not JSON, not an object, neither kind, a bad base64 body).
StatusOr<LambdaCall> ParseLambdaEvent(std::string_view event, const std::string& model_name);

// The HTTP envelope reply of `res`.
std::string HttpEventReply(const HttpResponse& res);

// The errorType of a direct invoke the router answered with `status` (not 2xx):
// Sweep.InvalidArgument (400), Sweep.NotFound (404, 405), Sweep.PayloadTooLarge (413),
// Sweep.Unavailable (503), Sweep.DeadlineExceeded (504), Sweep.Internal otherwise.
std::string ErrorTypeForStatus(int status);

// The "error" member of a router error body, else the body itself.
std::string ErrorMessageOf(std::string_view body);

// RFC 4648 base64 (padding optional, no whitespace). InvalidArgument on other characters.
StatusOr<std::string> DecodeBase64(std::string_view text);

}  // namespace sweep::serve
