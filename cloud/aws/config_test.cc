#include "cloud/aws/config.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "base/testing.h"

namespace sweep::aws {
namespace {

// A config file with two profiles; every AWS_* variable the resolution reads starts unset.
class AwsConfigEnv : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* v : kVariables) unsetenv(v);
    std::ofstream(tmp_.Path("config"))
        << "[default]\nregion = eu-north-1\n"
           "[profile dev]\nregion = ap-south-1\nendpoint_url = http://127.0.0.1:7000/\n"
           "s3 =\n  addressing_style = path\n";
    setenv("AWS_CONFIG_FILE", tmp_.Path("config").c_str(), 1);
  }
  void TearDown() override {
    for (const char* v : kVariables) unsetenv(v);
    unsetenv("AWS_CONFIG_FILE");
  }

  static constexpr const char* kVariables[] = {"AWS_PROFILE",
                                               "AWS_DEFAULT_PROFILE",
                                               "AWS_REGION",
                                               "AWS_DEFAULT_REGION",
                                               "AWS_ENDPOINT_URL",
                                               "AWS_ENDPOINT_URL_S3",
                                               "AWS_ENDPOINT_URL_BATCH",
                                               "AWS_ENDPOINT_URL_STS",
                                               "AWS_ENDPOINT_URL_SSO",
                                               "AWS_ENDPOINT_URL_SSO_OIDC"};
  testing::TestDir tmp_;
};

TEST_F(AwsConfigEnv, RegionEnvBeatsProfile) {
  AwsConfig c = LoadAwsConfig();
  EXPECT_EQ(c.profile, "default");
  EXPECT_EQ(c.region, "eu-north-1");
  setenv("AWS_DEFAULT_PROFILE", "dev", 1);
  c = LoadAwsConfig();
  EXPECT_EQ(c.profile, "dev");
  EXPECT_EQ(c.region, "ap-south-1");
  EXPECT_EQ(c.Setting("s3.addressing_style"), "path");
  setenv("AWS_PROFILE", "default", 1);  // AWS_PROFILE wins over AWS_DEFAULT_PROFILE
  EXPECT_EQ(LoadAwsConfig().region, "eu-north-1");
  setenv("AWS_DEFAULT_REGION", "us-west-1", 1);
  EXPECT_EQ(LoadAwsConfig().region, "us-west-1");
  setenv("AWS_REGION", "us-west-2", 1);
  EXPECT_EQ(LoadAwsConfig().region, "us-west-2");
}

TEST_F(AwsConfigEnv, NoFileNoRegion) {
  setenv("AWS_CONFIG_FILE", tmp_.Path("missing").c_str(), 1);
  const AwsConfig c = LoadAwsConfig();
  EXPECT_EQ(c.region, "");
  EXPECT_TRUE(c.settings.empty());
  EXPECT_EQ(ConfiguredEndpoint(c, "s3"), "");
}

TEST_F(AwsConfigEnv, EndpointServiceEnvThenGlobalEnvThenProfileThenStandard) {
  for (const char* service : {"s3", "batch", "sts", "sso", "sso-oidc"}) {
    unsetenv("AWS_ENDPOINT_URL");
    unsetenv("AWS_PROFILE");
    EXPECT_EQ(ConfiguredEndpoint(LoadAwsConfig(), service), "") << service;
    setenv("AWS_PROFILE", "dev", 1);
    EXPECT_EQ(ConfiguredEndpoint(LoadAwsConfig(), service), "http://127.0.0.1:7000") << service;
    setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:8000///", 1);
    EXPECT_EQ(ConfiguredEndpoint(LoadAwsConfig(), service), "http://127.0.0.1:8000") << service;
  }
  setenv("AWS_ENDPOINT_URL_SSO_OIDC", "http://127.0.0.1:9001", 1);
  setenv("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9002/", 1);
  const AwsConfig c = LoadAwsConfig();
  EXPECT_EQ(ServiceEndpoint(c, "sso-oidc", "x"), "http://127.0.0.1:9001");
  EXPECT_EQ(ServiceEndpoint(c, "s3", "x"), "http://127.0.0.1:9002");
  EXPECT_EQ(ServiceEndpoint(c, "sso", "x"), "http://127.0.0.1:8000");  // SSO_OIDC is not SSO's
}

TEST(StandardEndpoint, EachService) {
  EXPECT_EQ(StandardEndpoint("s3", "eu-west-1"), "https://s3.eu-west-1.amazonaws.com");
  EXPECT_EQ(StandardEndpoint("batch", "us-east-2"), "https://batch.us-east-2.amazonaws.com");
  EXPECT_EQ(StandardEndpoint("sts", "us-east-2"), "https://sts.us-east-2.amazonaws.com");
  EXPECT_EQ(StandardEndpoint("sts", ""), "https://sts.amazonaws.com");
  EXPECT_EQ(StandardEndpoint("sso", "eu-west-1"), "https://portal.sso.eu-west-1.amazonaws.com");
  EXPECT_EQ(StandardEndpoint("sso-oidc", "eu-west-1"), "https://oidc.eu-west-1.amazonaws.com");
}

TEST(CheckEndpoint, SchemeHostPortOnly) {
  std::string url = "HTTP://127.0.0.1:9/";
  EXPECT_OK(CheckEndpoint("S3", &url));
  EXPECT_EQ(url, "HTTP://127.0.0.1:9");
  for (const char* bad : {"ftp://x", "http://", "https://h/path", "h:9", "http://h?x=1"}) {
    url = bad;
    Status s = CheckEndpoint("Batch", &url);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(s.message().find("Batch endpoint '"), std::string::npos) << s.ToString();
  }
}

}  // namespace
}  // namespace sweep::aws
