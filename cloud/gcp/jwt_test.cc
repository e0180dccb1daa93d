#include "cloud/gcp/jwt.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "base/testing.h"

namespace sweep::gcp {
namespace {

// A throwaway 2048-bit RSA key made for this test with `openssl genpkey`; it guards nothing.
constexpr char kTestKey[] = R"(
-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCEiREE9J5Ioh4/
n52CdjfD/mK2zP1/zCZ8uiC/ah6MMQ0KHiifpkY3ZzSEu230KkWP0eLyKne77Pqf
B3YSllI71yuETr9t5/wZPJz9cthgtVHq0lQO7/s+dHmvSsyI13wA6KP5QF4I6Kju
vKjYZFTdPxGXM/Ut2pYjlBdHDBJ05CGenXZCwfImQ22LRa/EmneltVrSOXViB9Um
NsSFQORu7UgUIScHK+Zr+Vjl8SZMiDVRUvNNDt+TEDXDrVzsn7gMcLMCrH0uqrQx
tAJGojiSCb1axj+waRR2l7UGGitIbCIno3m6o58UEvQyiUHMrdQ3sPaI4tOV4Ygc
Vd5zLLxZAgMBAAECggEAPOfUN2fGmXBO4EQUmRCEnf/4EzNux1zkzuqmA/Dbaudb
q6uiVYOOvwUhgGG1rMAESYxVc54KegT0Q0KlgvMrhS5jZCDgHby/AEX3iw1M3FxW
8ceIM3kbB191UBXamoQUC0Ldn7xxujxY7aUrHo405ZuHFOoeoNzTpDP44oBstuQ6
NkCFhxv4oPO9e4Z0bky5g/xCx+o5fXEmJfLxnxfkrjJCsnfcCihK2I61ursabkK7
fWpGAphEWGmxhTOTfVVwl9xuv3KwivKafsmxm2xHjZxxPM0paQ4Ok6jEQw/P70js
hP3pKhOe2VONxyennPSScnR4sUuW5bwwLrlpOgXQhQKBgQC5UqGtxJLXzwbaZklT
+iKJDVQK0iaygagDhUt8tvpn3MrMFK9EU87+mw4lU+ZkMeKaMIOX0Izum3/Zd1GD
SPmmSQn6YLkMuw6cmt6LqBi1m69WjwhOQa0jFHo7H8zF7FTDAMyP0MiwlNrWy06X
av2EN0ax+3kzG9UevYeM4YlrDwKBgQC3FLe1A3z1UrhKjyUkjw0G23LO0CHYem9G
ksHJR70TF2AlRdSEcSTHX0ZsR6q2manq7TdEu4RfclcYaq2ZWmc6aJoiNuMtsbpS
0toeO7++MUjxhnh4JEBnhW4z/LDxDQhEvgusS7g53CpPRrqygKlshytQbduHFX2X
nLDSyyICFwKBgQCIwBjeCPfyl6oO7vudJC7nwxYJBhnYDyTTtECHvt34VkyvW3QZ
j15nMjO2B7sypDz6WmJAXHwidkxZRFq57deKhMsAHu9uHXoixYUCuP/CwycXUGRo
mr4P7MRlbInGYyYI30YTuZTd+HmjllJgGWsJbWCVZWOB+z/Ad0rXAnZMsQKBgHq8
yOvxirRs4GAb1yrLPFB8jltX7VjTvAX0HTZzga5q3WofhnnD4IRIu02cPjZsjh2R
KpxJmlTissELw5YrpUjjF3IYmfToUaF0+gWKyOEY6W4CWIEyzHqaWWdA4N65ffGX
9vtrR/aCQ1sib8d7uhmoBMHG5IWLQseBpIms5P/BAoGARAU9tr9piNYsbULz/NvF
edNIH/HGM0VsljqPjSTgjYOGXIMCPf91gR8SZUImpIzBz0eDHmGhCAx3Ai64iHZ6
vDsQ9AoTE3Garqd6OQLrlosdxZEo5ZHm5wS1Dgns+HSNzsn1PC9Yn8YNdcFSQdAo
JYGv+lBlkQOc0jtehvmKb8Q=
-----END PRIVATE KEY-----
)";

// The same message signed by the OpenSSL command line (an independent signer):
//   printf "sweep signs this" | openssl dgst -sha256 -sign key.pem | base64 -w0
constexpr char kOpensslSignature[] =
    "gWg3S4OWDr7C30sXZH9wh3UlSXfPbal5lZWGyteD7OJAWqlyMttvKKyJygeXbLH+VdZv7J5f27gi/viRydwk258d"
    "2NrtLwQRmVDliU8q/Vzvyhfn0xiYq3yvCk6zdF0sHPiNNidJN0yOdYz9BqLprVxe4HbqI7VD2gx0mSQ8TCJEAyrz"
    "Tk73SwLoW+rq6PXTOmdm9WK5bN504qLWAnDt+jhSdUrKLA/xV5l+2fDa6qwKdcbNQYtEgxplcEfk96EbpLF885/L"
    "eegzW5xfjk03bZL+8a8JH0p9WbGG3MpCXlpH5xBp7DKwvmMfPR1Nd/awuisDoO9npGVGyU1jC9yIkA==";

constexpr char kEcKey[] = R"(
-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgSDJBQdydCn3/VRPq
KElNigAGoRnL5p3ol1kxSS1LmNOhRANCAASockK67tMoCZqVG6PATuouRQ7sVjfc
ZpchmkGwb2JQwK3HdPannt7/6XodxAF0IrcmaiA+xRwYA2+C/nCE4icO
-----END PRIVATE KEY-----
)";

TEST(Base64, Rfc4648Vectors) {
  const char* cases[][2] = {{"", ""},
                            {"f", "Zg=="},
                            {"fo", "Zm8="},
                            {"foo", "Zm9v"},
                            {"foob", "Zm9vYg=="},
                            {"fooba", "Zm9vYmE="},
                            {"foobar", "Zm9vYmFy"}};
  for (const auto& c : cases) {
    EXPECT_EQ(Base64Encode(c[0]), c[1]);
    auto back_or = Base64Decode(c[1]);
    ASSERT_OK(back_or);
    const std::string& back = *back_or;
    EXPECT_EQ(back, c[0]);
  }
}

TEST(Base64, UrlAlphabetWithoutPadding) {
  EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");
  EXPECT_EQ(Base64Encode("\xfb\xff"), "+/8=");
  auto back_or = Base64Decode("-_8");
  ASSERT_OK(back_or);
  const std::string& back = *back_or;
  EXPECT_EQ(back, "\xfb\xff");
  EXPECT_FALSE(Base64Decode("a*b").ok());
}

TEST(SignRs256, MatchesTheOpensslCommandLine) {
  auto signature_or = SignRs256(kTestKey, "sweep signs this");
  ASSERT_OK(signature_or);
  const std::string& signature = *signature_or;
  EXPECT_EQ(signature.size(), 256u);
  EXPECT_EQ(Base64Encode(signature), kOpensslSignature);
}

TEST(SignRs256, RefusesBadKeysWithoutQuotingThem) {
  auto garbage = SignRs256("-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWtleS1ieXRlcw==\n", "x");
  ASSERT_EQ(garbage.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(garbage.status().message().find("c2VjcmV0"), std::string::npos);
  auto ec = SignRs256(kEcKey, "x");
  ASSERT_EQ(ec.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(ec.status().message().find("not an RSA key"), std::string::npos);
}

TEST(MakeJwt, HeaderClaimsAndSignature) {
  JwtClaims claims{"sa@p.iam.gserviceaccount.com", "kid-1", "scope-a scope-b",
                   "https://oauth2.googleapis.com/token", 1767225600};
  auto jwt_or = MakeJwt(claims, kTestKey);
  ASSERT_OK(jwt_or);
  const std::string& jwt = *jwt_or;
  const size_t dot1 = jwt.find('.'), dot2 = jwt.rfind('.');
  ASSERT_NE(dot1, dot2);
  auto header_or = Base64Decode(jwt.substr(0, dot1));
  ASSERT_OK(header_or);
  const std::string& header = *header_or;
  auto body_or = Base64Decode(jwt.substr(dot1 + 1, dot2 - dot1 - 1));
  ASSERT_OK(body_or);
  const std::string& body = *body_or;
  const auto h = nlohmann::json::parse(header), c = nlohmann::json::parse(body);
  EXPECT_EQ(h["alg"], "RS256");
  EXPECT_EQ(h["kid"], "kid-1");
  EXPECT_EQ(c["iss"], "sa@p.iam.gserviceaccount.com");
  EXPECT_EQ(c["aud"], "https://oauth2.googleapis.com/token");
  EXPECT_EQ(c["scope"], "scope-a scope-b");
  EXPECT_EQ(c["iat"], 1767225600);
  EXPECT_EQ(c["exp"], 1767225600 + 3600);
  auto signature_or = SignRs256(kTestKey, jwt.substr(0, dot2));
  ASSERT_OK(signature_or);
  const std::string& signature = *signature_or;
  EXPECT_EQ(jwt.substr(dot2 + 1), Base64UrlEncode(signature));
  EXPECT_EQ(jwt.find_first_of("+/="), std::string::npos);
}

}  // namespace
}  // namespace sweep::gcp
