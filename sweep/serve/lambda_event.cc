#include "sweep/serve/lambda_event.h"

#include <nlohmann/json.hpp>

#include "base/strings.h"

namespace sweep::serve {
namespace {

using nlohmann::json;

std::string StringAt(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

StatusOr<LambdaCall> HttpCall(const json& e) {
  LambdaCall c;
  c.http = true;
  if (e.contains("rawPath")) {  // payload 2.0
    const json* http = nullptr;
    if (auto rc = e.find("requestContext"); rc != e.end() && rc->is_object()) {
      if (auto h = rc->find("http"); h != rc->end() && h->is_object()) http = &*h;
    }
    if (http == nullptr) {
      return Status::InvalidArgument("HTTP event (payload 2.0) without requestContext.http");
    }
    c.method = StringAt(*http, "method");
    c.target = StringAt(e, "rawPath");
    if (std::string q = StringAt(e, "rawQueryString"); !q.empty()) c.target += "?" + q;
  } else {  // payload 1.0 / REST API
    c.method = StringAt(e, "httpMethod");
    c.target = StringAt(e, "path");
  }
  if (c.method.empty() || c.target.empty() || c.target[0] != '/') {
    return Status::InvalidArgument("HTTP event without a method or a path starting with '/'");
  }
  if (auto h = e.find("headers"); h != e.end() && h->is_object()) {
    for (const auto& [k, v] : h->items()) {
      if (AsciiLower(k) == "origin" && v.is_string()) c.origin = v.get<std::string>();
    }
  }
  c.body = StringAt(e, "body");
  if (auto b = e.find("isBase64Encoded"); b != e.end() && b->is_boolean() && b->get<bool>()) {
    StatusOr<std::string> raw = DecodeBase64(c.body);
    if (!raw.ok()) return Status::InvalidArgument("HTTP event body: " + raw.status().message());
    c.body = std::move(*raw);
  }
  return c;
}

int Base64Value(char ch) {
  if (ch >= 'A' && ch <= 'Z') return ch - 'A';
  if (ch >= 'a' && ch <= 'z') return ch - 'a' + 26;
  if (ch >= '0' && ch <= '9') return ch - '0' + 52;
  if (ch == '+' || ch == '-') return 62;
  if (ch == '/' || ch == '_') return 63;
  return -1;
}

}  // namespace

StatusOr<LambdaCall> ParseLambdaEvent(std::string_view event, const std::string& model_name) {
  const json e = json::parse(event, nullptr, /*allow_exceptions=*/false);
  if (e.is_discarded()) return Status::InvalidArgument("the event is not JSON");
  if (!e.is_object()) return Status::InvalidArgument("the event is not a JSON object");
  if (e.contains("rawPath") || e.contains("httpMethod")) return HttpCall(e);
  if (e.contains("instances") || e.contains("inputs")) {
    LambdaCall c;
    c.method = "POST";
    c.target = "/v1/models/" + model_name + ":predict";
    c.body = std::string(event);
    return c;
  }
  return Status::InvalidArgument(
      "the event is neither a predict body ({\"instances\": ...} or {\"inputs\": ...}) nor an "
      "API Gateway / function URL HTTP event (rawPath, requestContext.http.method)");
}

std::string HttpEventReply(const HttpResponse& res) {
  json headers = json::object();
  headers["content-type"] = res.content_type;
  for (const auto& [k, v] : res.headers) headers[AsciiLower(k)] = v;
  return Dump({{"statusCode", res.status},
               {"headers", std::move(headers)},
               {"body", res.body},
               {"isBase64Encoded", false}});
}

std::string ErrorTypeForStatus(int status) {
  switch (status) {
    case 400:
      return "Sweep.InvalidArgument";
    case 404:
    case 405:
      return "Sweep.NotFound";
    case 413:
      return "Sweep.PayloadTooLarge";
    case 503:
      return "Sweep.Unavailable";
    case 504:
      return "Sweep.DeadlineExceeded";
    default:
      return "Sweep.Internal";
  }
}

std::string ErrorMessageOf(std::string_view body) {
  const json j = json::parse(body, nullptr, false);
  if (j.is_object()) {
    if (std::string m = StringAt(j, "error"); !m.empty()) return m;
  }
  return std::string(body);
}

StatusOr<std::string> DecodeBase64(std::string_view text) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  std::string out;
  out.reserve(text.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (char ch : text) {
    const int v = Base64Value(ch);
    if (v < 0) return Status::InvalidArgument("not base64 (a '" + std::string(1, ch) + "')");
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  if (bits >= 6) return Status::InvalidArgument("not base64 (a truncated last group)");
  return out;
}

}  // namespace sweep::serve
