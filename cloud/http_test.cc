#include "cloud/http.h"

#include <curl/curl.h>
#include <gtest/gtest.h>

namespace sweep::cloud {
namespace {

TEST(FromCurl, TransientVersusPermanent) {
  EXPECT_TRUE(FromCurl(CURLE_OK, "x").ok());
  for (CURLcode c : {CURLE_OPERATION_TIMEDOUT, CURLE_COULDNT_CONNECT, CURLE_RECV_ERROR,
                     CURLE_SEND_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE}) {
    EXPECT_EQ(FromCurl(c, "x").code(), StatusCode::kUnavailable) << c;
  }
  for (CURLcode c :
       {CURLE_PEER_FAILED_VERIFICATION, CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL}) {
    EXPECT_EQ(FromCurl(c, "x").code(), StatusCode::kInvalidArgument) << c;
  }
  EXPECT_EQ(
      FromCurl(CURLE_OPERATION_TIMEDOUT, "GET http://h/k").message().rfind("GET http://h/k: ", 0),
      0u);
}

TEST(HttpResponse, HeaderLookupIsByLowercaseName) {
  HttpResponse r;
  r.headers = {{"etag", "\"abc\""}, {"content-length", "3"}};
  EXPECT_EQ(r.Header("etag"), "\"abc\"");
  EXPECT_EQ(r.Header("x"), "");
}

TEST(LoadCurl, MissingLibraryIsAClearError) {
  auto api = internal::LoadCurl("libcurl-missing.so.4");
  ASSERT_FALSE(api.ok());
  EXPECT_EQ(api.status().code(), StatusCode::kInternal);
  EXPECT_NE(api.status().message().find("need libcurl"), std::string::npos)
      << api.status().message();
  EXPECT_NE(api.status().message().find("libcurl-missing.so.4"), std::string::npos);
}

TEST(LoadCurl, LoadsTheSystemLibrary) {
  StatusOr<const internal::CurlApi*> api = internal::LoadCurl("libcurl.so.4");
  ASSERT_TRUE(api.ok()) << api.status().message();
  // The table lives for the process, as the one HttpClient loads does (LeakSanitizer: reachable).
  static const internal::CurlApi* kept = *api;
  EXPECT_NE(kept, nullptr);
}

}  // namespace
}  // namespace sweep::cloud
