#include "cloud/gcp/credentials.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include "base/testing.h"

namespace sweep::gcp {
namespace {

TEST(ParseCredentialsFile, ServiceAccountAndAuthorizedUser) {
  auto sa = ParseCredentialsFile(
      R"({"type": "service_account", "client_email": "sa@p.iam.gserviceaccount.com",
          "private_key": "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
          "private_key_id": "k1", "token_uri": "http://127.0.0.1:9/token"})",
      "/keys/sa.json");
  ASSERT_OK(sa);
  EXPECT_EQ((*sa)->Describe(), "service account sa@p.iam.gserviceaccount.com (/keys/sa.json)");
  auto user = ParseCredentialsFile(
      R"({"type": "authorized_user", "client_id": "id", "client_secret": "s",
          "refresh_token": "1//refresh"})",
      "/home/u/adc.json");
  ASSERT_OK(user);
  EXPECT_EQ((*user)->Describe(), "authorized user (/home/u/adc.json)");
}

TEST(ParseCredentialsFile, RefusesWhatItCannotUseWithoutQuotingSecrets) {
  const char* bad[] = {
      "not json", R"({"type": "external_account", "audience": "x"})",
      R"({"type": "service_account", "private_key": "TOP-SECRET-KEY"})",
      R"({"type": "authorized_user", "client_id": "id", "client_secret": "TOP-SECRET-KEY"})"};
  for (const char* text : bad) {
    auto s = ParseCredentialsFile(text, "/k.json");
    ASSERT_EQ(s.status().code(), StatusCode::kInvalidArgument) << text;
    EXPECT_NE(s.status().message().find("/k.json"), std::string::npos);
    EXPECT_EQ(s.status().message().find("TOP-SECRET"), std::string::npos);
  }
}

// Counts fetches; each token lives `lifetime_s`.
class CountingSource : public TokenSource {
 public:
  explicit CountingSource(int lifetime_s) : lifetime_s_(lifetime_s) {}
  StatusOr<AccessToken> Fetch(cloud::HttpClient&) override {
    ++fetches;
    return AccessToken{"token-" + std::to_string(fetches), std::time(nullptr) + lifetime_s_};
  }
  std::string Describe() const override { return "counting"; }
  int fetches = 0;

 private:
  int lifetime_s_;
};

TEST(GoogleCredentials, CachesUntilNearExpiryOrInvalidated) {
  auto source = std::make_unique<CountingSource>(3600);
  CountingSource* counter = source.get();
  GoogleCredentials creds(std::move(source));
  EXPECT_EQ(creds.source(), "counting");
  EXPECT_EQ(*creds.Token(), "token-1");
  EXPECT_EQ(*creds.Token(), "token-1");
  creds.Invalidate();
  EXPECT_EQ(*creds.Token(), "token-2");
  EXPECT_EQ(counter->fetches, 2);

  auto short_lived = std::make_unique<CountingSource>(60);  // within the 300 s refresh window
  CountingSource* short_counter = short_lived.get();
  GoogleCredentials refreshing(std::move(short_lived));
  EXPECT_EQ(*refreshing.Token(), "token-1");
  EXPECT_EQ(*refreshing.Token(), "token-2");
  EXPECT_EQ(short_counter->fetches, 2);
}

TEST(DefaultTokenSource, OrderKeyFileEmulatorMetadata) {
  testing::TestDir dir;
  ::setenv("HOME", dir.path().c_str(), 1);
  ::unsetenv("CLOUDSDK_CONFIG");
  ::setenv("GOOGLE_APPLICATION_CREDENTIALS", dir.Path("missing.json").c_str(), 1);
  auto missing = DefaultTokenSource();
  EXPECT_EQ(missing.status().code(), StatusCode::kInvalidArgument);
  ::unsetenv("GOOGLE_APPLICATION_CREDENTIALS");
  ::setenv("STORAGE_EMULATOR_HOST", "127.0.0.1:9", 1);
  auto anonymous = DefaultTokenSource();
  ASSERT_OK(anonymous);
  EXPECT_EQ((*anonymous)->Describe(), "none (STORAGE_EMULATOR_HOST)");
  ::unsetenv("STORAGE_EMULATOR_HOST");
  ::setenv("GCE_METADATA_HOST", "127.0.0.1:9", 1);
  auto metadata = DefaultTokenSource();
  ASSERT_OK(metadata);
  EXPECT_EQ((*metadata)->Describe(), "metadata server 127.0.0.1:9");
  ::unsetenv("GCE_METADATA_HOST");
}

}  // namespace
}  // namespace sweep::gcp
