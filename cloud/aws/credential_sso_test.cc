#include "cloud/aws/credential_sso.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

#include "base/testing.h"

namespace sweep::aws {
namespace {

const char* kConfig =
    "[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Trainer\n"
    "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n"
    "[profile legacy]\nsso_start_url = https://my-sso-portal.awsapps.com/start\n"
    "sso_region = us-east-1\nsso_account_id = 1\nsso_role_name = R\n"
    "[profile half]\nsso_role_name = R\n"
    "[profile lost]\nsso_session = nowhere\nsso_account_id = 1\nsso_role_name = R\n"
    "[profile clash]\nsso_session = corp\nsso_region = us-west-2\nsso_account_id = 1\n"
    "sso_role_name = R\n"
    "[profile keys]\naws_access_key_id = A\n";

StatusOr<SsoProfile> Read(const std::string& profile) {
  const IniFile ini = ParseIni(kConfig);
  const auto* s = ConfigSection(ini, profile);
  EXPECT_TRUE(IsSsoProfile(s)) << profile;
  return ReadSsoProfile(ini, profile, *s);
}

TEST(SsoProfile, SessionFormMergesItsSsoSession) {
  auto p = Read("dev");
  ASSERT_OK(p);
  EXPECT_EQ(p->session, "corp");
  EXPECT_EQ(p->start_url, "https://corp.awsapps.com/start");
  EXPECT_EQ(p->region, "eu-west-1");
  EXPECT_EQ(p->account_id, "123456789012");
  EXPECT_EQ(p->role_name, "Trainer");
  auto legacy = Read("legacy");
  ASSERT_OK(legacy);
  EXPECT_EQ(legacy->session, "");
  EXPECT_EQ(legacy->region, "us-east-1");
}

TEST(SsoProfile, BadConfigsNameWhatIsWrong) {
  const std::pair<const char*, const char*> cases[] = {
      {"half", "lacks sso_account_id, sso_start_url, sso_region"},
      {"lost", "no [sso-session nowhere] section"},
      {"clash", "sso_region is us-west-2 in the profile but eu-west-1 in sso-session corp"},
  };
  for (const auto& [profile, expected] : cases) {
    auto p = Read(profile);
    ASSERT_FALSE(p.ok()) << profile;
    EXPECT_EQ(p.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(p.status().message().find(expected), std::string::npos) << p.status().ToString();
  }
  const IniFile ini = ParseIni(kConfig);
  EXPECT_FALSE(IsSsoProfile(ConfigSection(ini, "keys")));
  EXPECT_FALSE(IsSsoProfile(nullptr));
}

class SsoHome : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name :
         {"HOME", "AWS_ENDPOINT_URL_SSO", "AWS_ENDPOINT_URL_SSO_OIDC", "AWS_ENDPOINT_URL"}) {
      const char* v = std::getenv(name);
      saved_.emplace_back(name, v ? std::optional<std::string>(v) : std::nullopt);
      unsetenv(name);
    }
    setenv("HOME", tmp_.path().c_str(), 1);
  }
  void TearDown() override {
    for (auto& [name, v] : saved_) v ? setenv(name, v->c_str(), 1) : unsetenv(name);
  }
  std::vector<std::pair<const char*, std::optional<std::string>>> saved_;
  sweep::testing::TestDir tmp_;
};

// The names botocore's SSOTokenLoader computes: sha1 of the session name, else of the start URL.
TEST_F(SsoHome, TokenPathIsTheAwsCliCacheName) {
  SsoProfile session{"dev", "my-sso", "https://x", "eu-west-1", "1", "R"};
  EXPECT_EQ(SsoTokenPath(session),
            tmp_.Path(".aws/sso/cache/0ad374308c5a4e22f723adf10145eafad7c4031c.json"));
  SsoProfile legacy{"old", "", "https://my-sso-portal.awsapps.com/start", "us-east-1", "1", "R"};
  EXPECT_EQ(SsoTokenPath(legacy),
            tmp_.Path(".aws/sso/cache/c7aaaf71fcc8777ae2475525ed049d39fe16c484.json"));
  unsetenv("HOME");
  EXPECT_EQ(SsoTokenPath(legacy), "");
}

TEST_F(SsoHome, NotLoggedInSaysHowToLogIn) {
  SsoProfile p{"dev", "corp", "https://x", "eu-west-1", "1", "R"};
  auto c = FromSso(p);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(c.status().message().find("not logged in to SSO (sso-session corp"), std::string::npos);
  EXPECT_NE(c.status().message().find("run `aws sso login --profile dev`"), std::string::npos)
      << c.status().ToString();
}

TEST_F(SsoHome, EndpointOverrides) {
  EXPECT_EQ(SsoEndpoint("eu-west-1"), "https://portal.sso.eu-west-1.amazonaws.com");
  setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:1/", 1);
  EXPECT_EQ(SsoEndpoint("eu-west-1"), "http://127.0.0.1:1");
  setenv("AWS_ENDPOINT_URL_SSO", "http://127.0.0.1:2", 1);
  EXPECT_EQ(SsoEndpoint("eu-west-1"), "http://127.0.0.1:2");
  EXPECT_EQ(SsoOidcEndpoint("eu-west-1"), "http://127.0.0.1:1");
  unsetenv("AWS_ENDPOINT_URL");
  EXPECT_EQ(SsoOidcEndpoint("eu-west-1"), "https://oidc.eu-west-1.amazonaws.com");
}

// Only an sso-session token near expiry with a live registration is refreshed; the rest is left
// alone without a request (tests/s3_credentials_test.sh refreshes at a loopback SSO OIDC).
TEST_F(SsoHome, RefreshOnlyWhenDueAndPossible) {
  setenv("AWS_ENDPOINT_URL_SSO_OIDC", "http://127.0.0.1:9", 1);  // nothing listens: a request fails
  const std::time_t now = *ParseIso8601("2026-11-23T10:00:00Z");
  auto token = [](const char* expires, const char* registration) {
    return std::string(R"({"accessToken":"t","expiresAt":")") + expires +
           R"(","refreshToken":"r","clientId":"c","clientSecret":"s","registrationExpiresAt":")" +
           registration + "\"}";
  };
  SsoProfile session{"dev", "corp", "https://x", "eu-west-1", "1", "R"};
  SsoProfile legacy{"old", "", "https://x", "eu-west-1", "1", "R"};
  const std::string path = tmp_.Path("token.json");
  const std::string cases[][2] = {
      {"far from expiry", token("2026-11-23T10:20:00Z", "2026-12-01T00:00:00Z")},
      {"registration expired", token("2026-11-23T10:05:00Z", "2026-11-23T09:00:00Z")},
      {"no refresh token", R"({"accessToken":"t","expiresAt":"2026-11-23T10:05:00Z"})"},
      {"not JSON", "{"},
  };
  for (const auto& [what, text] : cases) {
    std::string cached = text;
    EXPECT_OK(RefreshSsoTokenIfDue(session, path, &cached, now)) << what;
    EXPECT_EQ(cached, text) << what;
  }
  std::string due = token("2026-11-23T10:05:00Z", "2026-12-01T00:00:00Z");
  std::string cached = due;
  EXPECT_OK(RefreshSsoTokenIfDue(legacy, path, &cached, now));  // legacy: never refreshed
  EXPECT_EQ(cached, due);
  Status s = RefreshSsoTokenIfDue(session, path, &cached, now);
  EXPECT_EQ(s.code(), StatusCode::kUnavailable) << s.ToString();
  EXPECT_EQ(cached, due);
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(SsoToken, ValidExpiredAndMalformed) {
  SsoProfile p{"dev", "corp", "https://x", "eu-west-1", "1", "R"};
  const std::time_t now = *ParseIso8601("2026-11-23T10:00:00Z");
  auto ok = ParseSsoToken(R"({"startUrl":"https://x","region":"eu-west-1","accessToken":"tok",)"
                          R"("expiresAt":"2026-11-23T11:00:00Z"})",
                          now, p);
  ASSERT_OK(ok);
  EXPECT_EQ(*ok, "tok");
  // The older CLI wrote "...UTC".
  EXPECT_OK(ParseSsoToken(R"({"accessToken":"t","expiresAt":"2026-11-23T10:00:01UTC"})", now, p));
  auto expired = ParseSsoToken(R"({"accessToken":"t","expiresAt":"2026-11-23T09:59:59Z"})", now, p);
  ASSERT_FALSE(expired.ok());
  EXPECT_NE(expired.status().message().find("expired at 2026-11-23T09:59:59Z: run `aws sso login"),
            std::string::npos)
      << expired.status().ToString();
  for (const char* bad :
       {"", "[]", R"({"accessToken":"t"})", R"({"expiresAt":"2030-01-01T00:00:00Z"})",
        R"({"accessToken":"t","expiresAt":"soon"})"}) {
    EXPECT_EQ(ParseSsoToken(bad, now, p).status().code(), StatusCode::kInvalidArgument) << bad;
  }
}

TEST(SsoRoleCredentials, DocumentedShape) {
  auto t = ParseSsoRoleCredentials(
      R"({"roleCredentials":{"accessKeyId":"ASIASSO","secretAccessKey":"S","sessionToken":"T",)"
      R"("expiration":1795431600000}})");
  ASSERT_OK(t);
  EXPECT_EQ(t->credentials.access_key_id, "ASIASSO");
  EXPECT_EQ(t->credentials.session_token, "T");
  EXPECT_EQ(t->expiration, 1795431600);
  for (const char* bad :
       {"", "{}", R"({"roleCredentials":{"accessKeyId":"A"}})",
        R"({"roleCredentials":{"accessKeyId":"A","secretAccessKey":"S","expiration":"x"}})"}) {
    EXPECT_EQ(ParseSsoRoleCredentials(bad).status().code(), StatusCode::kCorruption) << bad;
  }
}

}  // namespace
}  // namespace sweep::aws
