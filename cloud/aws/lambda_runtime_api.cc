#include "cloud/aws/lambda_runtime_api.h"

#include <nlohmann/json.hpp>

#include "base/strings.h"

namespace sweep::aws {

std::string LambdaRuntimeApiAddress() { return GetEnv("AWS_LAMBDA_RUNTIME_API"); }

std::string LambdaErrorBody(std::string_view type, std::string_view message) {
  const nlohmann::json j = {{"errorMessage", std::string(message)},
                            {"errorType", std::string(type)}};
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

LambdaRuntimeApi::LambdaRuntimeApi(const std::string& address)
    : base_("http://" + address + "/2018-06-01/runtime") {}

StatusOr<LambdaInvocation> LambdaRuntimeApi::Next() {
  cloud::HttpRequest req;
  req.url = base_ + "/invocation/next";
  req.timeout_ms = 0;
  req.low_speed_time_s = 0;
  SWEEP_ASSIGN_OR_RETURN(cloud::HttpResponse res, http_.Do(req));
  if (res.status != 200) {
    return Status::Unavailable("GET " + req.url + ": " + std::to_string(res.status) + ": " +
                               res.body);
  }
  LambdaInvocation inv{res.Header("lambda-runtime-aws-request-id"),
                       res.Header("lambda-runtime-trace-id"), 0, std::move(res.body)};
  if (inv.id.empty()) return Status::Unavailable("GET " + req.url + ": no request id");
  if (auto d = ParseInt(res.Header("lambda-runtime-deadline-ms"), 0, INT64_MAX)) {
    inv.deadline_ms = *d;
  }
  return inv;
}

Status LambdaRuntimeApi::Respond(const std::string& id, std::string_view body) {
  return Post("/invocation/" + id + "/response", body, "");
}

Status LambdaRuntimeApi::Fail(const std::string& id, std::string_view type, std::string_view body) {
  return Post("/invocation/" + id + "/error", body, type);
}

Status LambdaRuntimeApi::InitError(std::string_view type, std::string_view message) {
  return Post("/init/error", LambdaErrorBody(type, message), type);
}

Status LambdaRuntimeApi::Post(const std::string& path, std::string_view body,
                              std::string_view error_type) {
  cloud::HttpRequest req;
  req.method = "POST";
  req.url = base_ + path;
  req.body = body;
  req.timeout_ms = 30000;
  req.headers = {{"Content-Type", "application/json"}};
  if (!error_type.empty()) {
    req.headers.emplace_back("Lambda-Runtime-Function-Error-Type", std::string(error_type));
  }
  SWEEP_ASSIGN_OR_RETURN(cloud::HttpResponse res, http_.Do(req));
  // 202 accepted; 400 (an id not in flight), 403, 413 (a reply over 6 MB) are refusals.
  if (res.status / 100 != 2) {
    return Status::Unavailable("POST " + req.url + ": " + std::to_string(res.status) + ": " +
                               res.body);
  }
  return Status::Ok();
}

}  // namespace sweep::aws
