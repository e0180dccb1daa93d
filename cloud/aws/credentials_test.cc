#include "cloud/aws/credentials.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "base/testing.h"
#include "cloud/aws/credential_sources.h"

namespace sweep::aws {
namespace {

TEST(ParseIni, SectionsKeysAndNestedBlocks) {
  IniFile ini = ParseIni(
      "# comment\n[default]\naws_access_key_id = AK\naws_secret_access_key=SK \n"
      "[profile dev]\nregion = eu-west-1\ns3 =\n  addressing_style = path\n"
      "  max_concurrent_requests = 4\nendpoint_url = http://x\n");
  EXPECT_EQ(ini["default"]["aws_access_key_id"], "AK");
  EXPECT_EQ(ini["default"]["aws_secret_access_key"], "SK");
  EXPECT_EQ(ini["profile dev"]["region"], "eu-west-1");
  EXPECT_EQ(ini["profile dev"]["s3.addressing_style"], "path");
  EXPECT_EQ(ini["profile dev"]["s3.max_concurrent_requests"], "4");
  EXPECT_EQ(ini["profile dev"]["endpoint_url"], "http://x");
  ASSERT_NE(ConfigSection(ini, "dev"), nullptr);
  EXPECT_EQ(ConfigSection(ini, "default")->at("aws_access_key_id"), "AK");
  EXPECT_EQ(ConfigSection(ini, "nope"), nullptr);
}

TEST(ParseCredentialsJson, ContainerAndImdsShapes) {
  auto c = ParseCredentialsJson(
      R"({"RoleArn":"arn","AccessKeyId":"ASIA1","SecretAccessKey":"S","Token":"T",)"
      R"("Expiration":"2026-11-23T09:00:00Z"})");
  ASSERT_OK(c);
  EXPECT_EQ(c->credentials.access_key_id, "ASIA1");
  EXPECT_EQ(c->credentials.session_token, "T");
  EXPECT_EQ(*c->expiration, ParseIso8601("2026-11-23T09:00:00Z"));
  auto imds = ParseCredentialsJson(
      R"({"Code":"Success","Type":"AWS-HMAC","AccessKeyId":"A","SecretAccessKey":"S",)"
      R"("Token":"T","Expiration":"2026-11-23T09:00:00Z","LastUpdated":"x"})");
  EXPECT_OK(imds);
  EXPECT_FALSE(ParseCredentialsJson(R"({"Code":"Failure"})").ok());
  EXPECT_EQ(ParseCredentialsJson("not json").status().code(), StatusCode::kCorruption);
  EXPECT_EQ(ParseCredentialsJson(R"({"AccessKeyId":"A"})").status().code(),
            StatusCode::kCorruption);
}

TEST(ParseIso8601, UtcSeconds) {
  EXPECT_EQ(ParseIso8601("2013-05-24T00:00:00Z"), 1369353600);
  EXPECT_EQ(ParseIso8601("2013-05-24T00:00:00.123Z"), 1369353600);
  EXPECT_FALSE(ParseIso8601("yesterday"));
  EXPECT_EQ(FormatIso8601(1369353600), "2013-05-24T00:00:00Z");
}

// Saves and clears every variable the chain reads; restores them afterwards.
class CredentialChain : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : kVars) {
      const char* v = std::getenv(name);
      saved_.emplace_back(name, v ? std::optional<std::string>(v) : std::nullopt);
      unsetenv(name);
    }
    setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
    setenv("AWS_SHARED_CREDENTIALS_FILE", (dir_ / "credentials").c_str(), 1);
    setenv("AWS_CONFIG_FILE", (dir_ / "config").c_str(), 1);
  }
  void TearDown() override {
    for (auto& [name, v] : saved_) v ? setenv(name, v->c_str(), 1) : unsetenv(name);
  }
  void Write(const char* name, const std::string& text) { std::ofstream(dir_ / name) << text; }

  static constexpr const char* kVars[] = {"AWS_ACCESS_KEY_ID",
                                          "AWS_SECRET_ACCESS_KEY",
                                          "AWS_SESSION_TOKEN",
                                          "AWS_PROFILE",
                                          "AWS_DEFAULT_PROFILE",
                                          "AWS_SHARED_CREDENTIALS_FILE",
                                          "AWS_CONFIG_FILE",
                                          "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                                          "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                                          "AWS_CONTAINER_AUTHORIZATION_TOKEN",
                                          "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
                                          "AWS_EC2_METADATA_DISABLED",
                                          "AWS_EC2_METADATA_SERVICE_ENDPOINT",
                                          "AWS_WEB_IDENTITY_TOKEN_FILE",
                                          "AWS_ROLE_ARN",
                                          "AWS_ROLE_SESSION_NAME",
                                          "HOME",
                                          "AWS_ENDPOINT_URL_SSO"};
  std::vector<std::pair<const char*, std::optional<std::string>>> saved_;
  sweep::testing::TestDir tmp_;
  const std::filesystem::path dir_ = tmp_.path();
};

TEST_F(CredentialChain, EnvironmentComesFirst) {
  Write("credentials", "[default]\naws_access_key_id=FILE\naws_secret_access_key=S\n");
  setenv("AWS_ACCESS_KEY_ID", "ENV", 1);
  setenv("AWS_SECRET_ACCESS_KEY", "S", 1);
  setenv("AWS_SESSION_TOKEN", "TOK", 1);
  CredentialProvider p;
  auto c = p.Get();
  ASSERT_OK(c);
  EXPECT_EQ(c->access_key_id, "ENV");
  EXPECT_EQ(c->session_token, "TOK");
  EXPECT_EQ(p.source(), "environment");
}

TEST_F(CredentialChain, NamedProfileFromCredentialsThenConfig) {
  Write("credentials", "[default]\naws_access_key_id=D\naws_secret_access_key=S\n");
  Write("config", "[profile dev]\naws_access_key_id=DEV\naws_secret_access_key=S\n");
  setenv("AWS_PROFILE", "dev", 1);
  CredentialProvider p;
  auto c = p.Get();
  ASSERT_OK(c);
  EXPECT_EQ(c->access_key_id, "DEV");
  EXPECT_NE(p.source().find("profile dev"), std::string::npos);
  unsetenv("AWS_PROFILE");
  CredentialProvider q;
  ASSERT_OK(q.Get());
  EXPECT_EQ(q.Get()->access_key_id, "D");
}

TEST_F(CredentialChain, ProfileCredentialProcess) {
  Write("config",
        "[profile sso]\ncredential_process = echo '{\"Version\": 1, "
        "\"AccessKeyId\": \"PROC\", \"SecretAccessKey\": \"S\", "
        "\"SessionToken\": \"T\"}'\n");
  setenv("AWS_PROFILE", "sso", 1);
  CredentialProvider p;
  auto c = p.Get();
  ASSERT_OK(c);
  EXPECT_EQ(c->access_key_id, "PROC");
  EXPECT_EQ(c->session_token, "T");
  EXPECT_EQ(p.source(), "profile sso credential_process");
}

TEST_F(CredentialChain, ProfileStaticKeysWinOverCredentialProcess) {
  Write("credentials", "[default]\naws_access_key_id=KEYS\naws_secret_access_key=S\n");
  Write("config", "[default]\ncredential_process = exit 1\n");
  CredentialProvider p;
  ASSERT_OK(p.Get());
  EXPECT_EQ(p.Get()->access_key_id, "KEYS");
}

// Each of these fails before any request to STS (tests/s3_credentials_test.sh runs AssumeRole
// against a loopback STS that checks the signature with botocore).
TEST_F(CredentialChain, RoleProfileErrorsNameTheProfileAndTheFix) {
  Write(
      "config",
      "[profile bare]\nrole_arn = arn:aws:iam::1:role/r\n"
      "[profile mfa]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = bare\nmfa_serial = x\n"
      "[profile ghost-source]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = nobody\n"
      "[profile cycle-a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = cycle-b\n"
      "[profile cycle-b]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = cycle-a\n"
      "[profile long]\nrole_arn = arn:aws:iam::1:role/r\ncredential_source = Environment\n"
      "duration_seconds = 60\n"
      "[profile odd-source]\nrole_arn = arn:aws:iam::1:role/r\ncredential_source = Laptop\n"
      "[profile env-source]\nrole_arn = arn:aws:iam::1:role/r\ncredential_source = Environment\n");
  const std::pair<const char*, const char*> cases[] = {
      {"bare", "role_arn needs source_profile, credential_source or web_identity_token_file"},
      {"mfa", "mfa_serial"},
      {"ghost-source", "source_profile nobody has no credentials"},
      {"cycle-a", "(a cycle?)"},
      {"long", "duration_seconds 60 is not 900..43200"},
      {"odd-source", "credential_source Laptop is not one of"},
      {"env-source", "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY not set"},
  };
  for (const auto& [profile, expected] : cases) {
    setenv("AWS_PROFILE", profile, 1);
    CredentialProvider p;
    auto c = p.Get();
    ASSERT_FALSE(c.ok()) << profile;
    EXPECT_NE(c.status().message().find(expected), std::string::npos)
        << profile << ": " << c.status().ToString();
    EXPECT_NE(c.status().message().find(std::string("profile ") + profile), std::string::npos)
        << c.status().ToString();
  }
}

TEST_F(CredentialChain, ProfileNamingItselfLendsItsKeysNotItsRole) {
  // Without STS reachable the role cannot be assumed, but the keys it would be assumed with are
  // the profile's own: the error says so rather than looping.
  Write("credentials", "[self]\naws_access_key_id=SELF\naws_secret_access_key=S\n");
  Write("config", "[profile self]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = self\n");
  setenv("AWS_PROFILE", "self", 1);
  setenv("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:9", 1);
  CredentialProvider p;
  auto c = p.Get();
  unsetenv("AWS_ENDPOINT_URL_STS");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("profile self (" + (dir_ / "credentials").string() + ")"),
            std::string::npos)
      << c.status().ToString();
}

// SSO comes before the profile's static keys (as in botocore) and, without a cached token, is
// an error that says how to log in rather than a fall-through to other sources
// (tests/s3_credentials_test.sh trades a token at a loopback portal).
TEST_F(CredentialChain, SsoProfileWithoutTokenSaysHowToLogIn) {
  setenv("HOME", dir_.c_str(), 1);
  Write("config",
        "[profile dev]\nsso_start_url = https://x/start\nsso_region = eu-west-1\n"
        "sso_account_id = 1\nsso_role_name = R\naws_access_key_id = KEYS\n"
        "aws_secret_access_key = S\n");
  setenv("AWS_PROFILE", "dev", 1);
  CredentialProvider p;
  auto c = p.Get();
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(
      c.status().message().find("profile dev: not logged in to SSO (start URL https://x/start"),
      std::string::npos)
      << c.status().ToString();
  EXPECT_NE(c.status().message().find("aws sso login --profile dev"), std::string::npos);
}

TEST_F(CredentialChain, MissingNamedProfileIsAnError) {
  setenv("AWS_PROFILE", "ghost", 1);
  CredentialProvider p;
  EXPECT_EQ(p.Get().status().code(), StatusCode::kInvalidArgument);
}

TEST_F(CredentialChain, NothingFoundSaysWhatWasTried) {
  CredentialProvider p;
  auto c = p.Get();
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(c.status().message().find("container"), std::string::npos);
}

TEST_F(CredentialChain, ContainerFullUriMustBeLoopbackOverHttp) {
  setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://example.com/creds", 1);
  CredentialProvider p;
  EXPECT_EQ(p.Get().status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace sweep::aws
