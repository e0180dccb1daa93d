#include "sweep/serve/lambda_event.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "base/testing.h"
#include "cloud/aws/lambda_runtime_api.h"

namespace sweep::serve {
namespace {

TEST(LambdaEvent, DirectInvokeIsAPredictOfTheEventItself) {
  const std::string event = R"({"instances": [[1, 2]]})";
  auto c = ParseLambdaEvent(event, "zoo");
  ASSERT_OK(c);
  EXPECT_FALSE(c->http);
  EXPECT_EQ(c->method, "POST");
  EXPECT_EQ(c->target, "/v1/models/zoo:predict");
  EXPECT_EQ(c->body, event);
}

TEST(LambdaEvent, HttpApiPayload2WithBase64Body) {
  auto c = ParseLambdaEvent(R"({"version": "2.0", "rawPath": "/v1/models/m:predict",
      "rawQueryString": "a=1", "headers": {"origin": "https://x"},
      "requestContext": {"http": {"method": "POST", "path": "/v1/models/m:predict"}},
      "body": "eyJpbnN0YW5jZXMiOiBbMV19", "isBase64Encoded": true})",
                            "m");
  ASSERT_OK(c);
  EXPECT_TRUE(c->http);
  EXPECT_EQ(c->method, "POST");
  EXPECT_EQ(c->target, "/v1/models/m:predict?a=1");
  EXPECT_EQ(c->body, R"({"instances": [1]})");
  EXPECT_EQ(c->origin, "https://x");
}

TEST(LambdaEvent, RestApiPayload1) {
  auto c =
      ParseLambdaEvent(R"({"httpMethod": "GET", "path": "/v2/health/ready", "body": null})", "m");
  ASSERT_OK(c);
  EXPECT_TRUE(c->http);
  EXPECT_EQ(c->target, "/v2/health/ready");
  EXPECT_EQ(c->body, "");
}

TEST(LambdaEvent, MalformedEventsAreInvalidArgument) {
  for (const char* e : {"", "not json", "[1]", "{}", R"({"rawPath": "/x"})",
                        R"({"rawPath": "x", "requestContext": {"http": {"method": "GET"}}})",
                        R"({"httpMethod": "POST", "path": "/p", "body": "%%",
                            "isBase64Encoded": true})"}) {
    auto c = ParseLambdaEvent(e, "m");
    EXPECT_EQ(c.status().code(), StatusCode::kInvalidArgument) << e;
  }
}

TEST(LambdaEvent, HttpReplyCarriesStatusHeadersAndBody) {
  HttpResponse res;
  res.status = 400;
  res.body = R"({"error": "bad"})";
  res.headers = {{"X-Model-Version", "3"}};
  const auto j = nlohmann::json::parse(HttpEventReply(res));
  EXPECT_EQ(j["statusCode"], 400);
  EXPECT_EQ(j["headers"]["content-type"], "application/json");
  EXPECT_EQ(j["headers"]["x-model-version"], "3");
  EXPECT_EQ(j["body"], res.body);
  EXPECT_EQ(j["isBase64Encoded"], false);
}

TEST(LambdaEvent, ErrorBodyAndTypes) {
  const auto j = nlohmann::json::parse(aws::LambdaErrorBody("Sweep.NotFound", "no \"model\""));
  EXPECT_EQ(j["errorType"], "Sweep.NotFound");
  EXPECT_EQ(j["errorMessage"], "no \"model\"");
  EXPECT_EQ(ErrorTypeForStatus(400), "Sweep.InvalidArgument");
  EXPECT_EQ(ErrorTypeForStatus(503), "Sweep.Unavailable");
  EXPECT_EQ(ErrorTypeForStatus(500), "Sweep.Internal");
  EXPECT_EQ(ErrorMessageOf(R"({"error": "shape"})"), "shape");
  EXPECT_EQ(ErrorMessageOf("plain"), "plain");
}

TEST(LambdaEvent, Base64) {
  EXPECT_EQ(*DecodeBase64("aGVsbG8="), "hello");
  EXPECT_EQ(*DecodeBase64("aGVsbG8"), "hello");
  EXPECT_EQ(*DecodeBase64("-_8="), std::string("\xfb\xff"));
  EXPECT_EQ(*DecodeBase64(""), "");
  EXPECT_FALSE(DecodeBase64("a").ok());
  EXPECT_FALSE(DecodeBase64("ab c").ok());
}

}  // namespace
}  // namespace sweep::serve
