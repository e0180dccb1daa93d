#include "cloud/aws/sigv4.h"

#include <gtest/gtest.h>

namespace sweep::aws {
namespace {

const AwsCredentials kDocCredentials{"AKIAIOSFODNN7EXAMPLE",
                                     "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""};

// Built in one aggregate (not member by member) also because GCC 12 -O2 gives false -Wrestrict
// warnings on string assignments inlined into test bodies.
SigV4Request Request(std::string method, std::string host, std::string uri, cloud::HeaderList query,
                     std::string payload_hash, std::string service = "s3",
                     std::string region = "us-east-1", std::string date = "20130524T000000Z") {
  return SigV4Request{
      std::move(method),       std::move(host),    std::move(uri),    std::move(query), {},
      std::move(payload_hash), std::move(service), std::move(region), std::move(date)};
}

// The GET example of the AWS S3 documentation ("Signature Calculations for the Authorization
// Header: Transferring Payload in a Single Chunk").
TEST(HostHeaderFor, DropsTheSchemesDefaultPortAndAnyPath) {
  EXPECT_EQ(HostHeaderFor("https://batch.us-east-1.amazonaws.com:443"),
            "batch.us-east-1.amazonaws.com");
  EXPECT_EQ(HostHeaderFor("https://sts.amazonaws.com/"), "sts.amazonaws.com");
  EXPECT_EQ(HostHeaderFor("http://127.0.0.1:9000"), "127.0.0.1:9000");
  EXPECT_EQ(HostHeaderFor("http://h:80/x"), "h");
  EXPECT_EQ(HostHeaderFor("http://h:443"), "h:443");
}

TEST(SigV4, MatchesAwsDocumentationGetObjectExample) {
  SigV4Request r = Request("GET", "examplebucket.s3.amazonaws.com", "/test.txt", {}, Sha256Hex(""));
  r.headers = {{"Range", "bytes=0-9"}};
  SigV4Result s = SignV4(r, kDocCredentials);
  EXPECT_EQ(s.authorization,
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

// Same documentation page, the ListObjects example: GET /?max-keys=2&prefix=J.
TEST(SigV4, MatchesAwsDocumentationListObjectsExample) {
  SigV4Request r = Request("GET", "examplebucket.s3.amazonaws.com", "/",
                           {{"prefix", "J"}, {"max-keys", "2"}}, Sha256Hex(""));
  EXPECT_NE(SignV4(r, kDocCredentials)
                .authorization.find(
                    "Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"),
            std::string::npos);
}

// Sign sends the same canonical query it signed, plus Host, the x-amz-* headers and
// Authorization (the one path S3, STS and Batch requests take).
TEST(Sign, UrlAndHeadersMatchWhatWasSigned) {
  SigV4Request r = Request("GET", "examplebucket.s3.amazonaws.com", "/",
                           {{"prefix", "J"}, {"max-keys", "2"}, {"uploads", ""}}, Sha256Hex(""));
  r.headers = {{"Range", "bytes=0-9"}};
  const cloud::HttpRequest req = Sign(r, "https", {"AKID", "SECRET", "TOKEN"});
  EXPECT_EQ(req.method, "GET");
  EXPECT_EQ(req.url, "https://examplebucket.s3.amazonaws.com/?max-keys=2&prefix=J&uploads=");
  const SigV4Result want = SignV4(r, {"AKID", "SECRET", "TOKEN"});
  cloud::HeaderList expected = {{"Range", "bytes=0-9"}, {"Host", r.host}};
  expected.insert(expected.end(), want.headers.begin(), want.headers.end());
  expected.emplace_back("Authorization", want.authorization);
  EXPECT_EQ(req.headers, expected);
}

TEST(SigV4, SortsQueryAndSignsEmptyValues) {
  SigV4Request r = Request("POST", "b.s3.amazonaws.com", "/k", {{"uploads", ""}}, Sha256Hex(""));
  EXPECT_NE(SignV4(r, kDocCredentials).canonical_request.find("\n/k\nuploads=\n"),
            std::string::npos);
  r.query = {{"uploadId", "x y"}, {"partNumber", "2"}};
  EXPECT_NE(SignV4(r, kDocCredentials).canonical_request.find("\npartNumber=2&uploadId=x%20y\n"),
            std::string::npos);
}

TEST(SigV4, SessionTokenIsSentAndSigned) {
  SigV4Request r = Request("GET", "h", "/", {}, std::string(kUnsignedPayload), "s3", "eu-west-1",
                           "20240101T000000Z");
  AwsCredentials c = kDocCredentials;
  c.session_token = "TOKEN";
  SigV4Result s = SignV4(r, c);
  EXPECT_NE(s.authorization.find("x-amz-date;x-amz-security-token"), std::string::npos);
  EXPECT_EQ(s.authorization.find(c.secret_access_key), std::string::npos);
  bool found = false;
  for (const auto& [k, v] : s.headers) found |= k == "x-amz-security-token" && v == "TOKEN";
  EXPECT_TRUE(found);
}

TEST(SigV4, NonS3ServiceSendsNoContentSha256Header) {
  SigV4Request r = Request("POST", "batch.us-east-1.amazonaws.com", "/v1/submitjob", {},
                           Sha256Hex("{}"), "batch", "us-east-1", "20240101T000000Z");
  SigV4Result s = SignV4(r, kDocCredentials);
  EXPECT_NE(s.authorization.find("SignedHeaders=host;x-amz-date,"), std::string::npos);
  for (const auto& h : s.headers) EXPECT_NE(h.first, "x-amz-content-sha256");
}

TEST(UriEncode, KeepsUnreservedOnly) {
  EXPECT_EQ(UriEncode("a b+c~d_e-f.g/h"), "a%20b%2Bc~d_e-f.g%2Fh");
  EXPECT_EQ(UriEncodePath("/bucket/a b/c+d~e"), "/bucket/a%20b/c%2Bd~e");
  EXPECT_EQ(UriEncodePath("/b/\xC3\xBC.txt"), "/b/%C3%BC.txt");  // "ü" in UTF-8
  EXPECT_EQ(UriEncode("=&?%*"), "%3D%26%3F%25%2A");
}

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(AmzDate, FormatsUtc) { EXPECT_EQ(AmzDate(1369353600), "20130524T000000Z"); }

}  // namespace
}  // namespace sweep::aws
