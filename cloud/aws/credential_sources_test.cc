#include "cloud/aws/credential_sources.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "base/testing.h"

namespace sweep::aws {
namespace {

TEST(ProcessCredentials, DocumentedShape) {
  auto t = ParseProcessCredentials(
      R"({"Version": 1, "AccessKeyId": "ASIAP", "SecretAccessKey": "S", "SessionToken": "T",
          "Expiration": "2026-11-23T12:00:00Z"})");
  ASSERT_OK(t);
  EXPECT_EQ(t->credentials.access_key_id, "ASIAP");
  EXPECT_EQ(t->credentials.session_token, "T");
  EXPECT_EQ(t->expiration, ParseIso8601("2026-11-23T12:00:00Z"));
  auto no_expiry =
      ParseProcessCredentials(R"({"Version":1,"AccessKeyId":"A","SecretAccessKey":"S"})");
  ASSERT_OK(no_expiry);
  EXPECT_FALSE(no_expiry->expiration);
}

TEST(ProcessCredentials, WrongShapesAreInvalidArgument) {
  for (const char* bad :
       {"", "not json", R"({"AccessKeyId":"A","SecretAccessKey":"S"})",
        R"({"Version":2,"AccessKeyId":"A","SecretAccessKey":"S"})",
        R"({"Version":1,"AccessKeyId":"A"})",
        R"({"Version":1,"AccessKeyId":"A","SecretAccessKey":"S","Expiration":"soon"})"}) {
    EXPECT_EQ(ParseProcessCredentials(bad).status().code(), StatusCode::kInvalidArgument) << bad;
  }
}

TEST(ProcessCredentials, RunsTheCommandThroughTheShell) {
  auto t = RunCredentialProcess(
      R"(echo '{"Version": 1, "AccessKeyId": "FROMPROC", "SecretAccessKey": "S"}')");
  ASSERT_OK(t);
  EXPECT_EQ(t->credentials.access_key_id, "FROMPROC");
  auto failed = RunCredentialProcess("echo 'sso session expired' >&2; exit 3");
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(failed.status().message().find("exited 3"), std::string::npos);
}

TEST(StsCredentials, ParsesTheAssumeRoleWithWebIdentityResponse) {
  const char* xml =
      R"(<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleWithWebIdentityResult>
    <SubjectFromWebIdentityToken>system:serviceaccount:ml:sweep</SubjectFromWebIdentityToken>
    <Credentials>
      <SessionToken>FQoGZXIvYXdzE&amp;x</SessionToken>
      <SecretAccessKey>wJalrXUtnFEMI</SecretAccessKey>
      <Expiration>2026-11-23T13:00:00Z</Expiration>
      <AccessKeyId>ASIAIRSA</AccessKeyId>
    </Credentials>
  </AssumeRoleWithWebIdentityResult>
</AssumeRoleWithWebIdentityResponse>)";
  auto t = ParseStsCredentials(xml);
  ASSERT_OK(t);
  EXPECT_EQ(t->credentials.access_key_id, "ASIAIRSA");
  EXPECT_EQ(t->credentials.secret_access_key, "wJalrXUtnFEMI");
  EXPECT_EQ(t->credentials.session_token, "FQoGZXIvYXdzE&x");
  EXPECT_EQ(t->expiration, ParseIso8601("2026-11-23T13:00:00Z"));
  EXPECT_EQ(ParseStsCredentials("<Error/>").status().code(), StatusCode::kCorruption);
}

TEST(StsEndpoint, OverrideThenRegionThenGlobal) {
  for (const char* v :
       {"AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL", "AWS_REGION", "AWS_DEFAULT_REGION"}) {
    unsetenv(v);
  }
  EXPECT_EQ(StsEndpoint(), "https://sts.amazonaws.com/");
  setenv("AWS_DEFAULT_REGION", "eu-west-1", 1);
  EXPECT_EQ(StsEndpoint(), "https://sts.eu-west-1.amazonaws.com/");
  setenv("AWS_REGION", "us-east-2", 1);
  EXPECT_EQ(StsEndpoint(), "https://sts.us-east-2.amazonaws.com/");
  setenv("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:9/", 1);
  EXPECT_EQ(StsEndpoint(), "http://127.0.0.1:9/");
  for (const char* v : {"AWS_ENDPOINT_URL_STS", "AWS_REGION", "AWS_DEFAULT_REGION"}) unsetenv(v);
}

TEST(AssumeRole, FormBodyAndSignedRequest) {
  RoleToAssume role{"arn:aws:iam::1:role/a b", "s", "", 0};
  EXPECT_EQ(AssumeRoleBody(role),
            "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fa%20b"
            "&RoleSessionName=s");
  role.external_id = "x+y";
  role.duration_seconds = 1800;
  const std::string body = AssumeRoleBody(role);
  EXPECT_NE(body.find("&ExternalId=x%2By&DurationSeconds=1800"), std::string::npos) << body;
  EXPECT_EQ(AssumeRoleBody({"r", "", "", 0}).find("&RoleSessionName=sweep-"), 46u);

  for (const char* v : {"AWS_REGION", "AWS_DEFAULT_REGION"}) unsetenv(v);
  EXPECT_EQ(StsRegion(), "us-east-1");
  cloud::HttpRequest req;
  req.url = "https://sts.amazonaws.com/";
  req.body = body;
  const cloud::HttpRequest signed_req =
      SignStsRequest(req, {"AKID", "SECRET", "TOKEN"}, "20261123T120000Z");
  std::string auth, token;
  for (const auto& [k, v] : signed_req.headers) {
    if (k == "Authorization") auth = v;
    if (k == "x-amz-security-token") token = v;
  }
  EXPECT_EQ(auth.rfind("AWS4-HMAC-SHA256 Credential=AKID/20261123/us-east-1/sts/aws4_request, ", 0),
            0u)
      << auth;
  EXPECT_EQ(token, "TOKEN");
  setenv("AWS_REGION", "eu-west-1", 1);
  EXPECT_EQ(StsRegion(), "eu-west-1");
  unsetenv("AWS_REGION");
}

TEST(WebIdentity, NeedsBothTokenFileAndRole) {
  unsetenv("AWS_ROLE_SESSION_NAME");
  setenv("AWS_WEB_IDENTITY_TOKEN_FILE", "/var/run/secrets/token", 1);
  unsetenv("AWS_ROLE_ARN");
  WebIdentity w;
  EXPECT_FALSE(WebIdentityFromEnv(&w));
  setenv("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/sweep", 1);
  ASSERT_TRUE(WebIdentityFromEnv(&w));
  EXPECT_EQ(w.role_arn, "arn:aws:iam::123456789012:role/sweep");
  EXPECT_EQ(w.token_file, "/var/run/secrets/token");
  unsetenv("AWS_WEB_IDENTITY_TOKEN_FILE");
  unsetenv("AWS_ROLE_ARN");
}

TEST(WebIdentity, UnreadableTokenFileIsInvalidArgument) {
  auto t = AssumeRoleWithWebIdentity({"arn:aws:iam::1:role/r", "/nonexistent/token", ""});
  EXPECT_EQ(t.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace sweep::aws
