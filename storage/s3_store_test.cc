#include "storage/s3_store.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "base/testing.h"

namespace sweep::storage {
namespace {

TEST(OpenS3Store, RejectsMalformedRoots) {
  EXPECT_EQ(OpenS3Store("s3://").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(OpenS3Store("s3://bad bucket/x").status().code(), StatusCode::kInvalidArgument);
}

TEST(OpenStore, S3RootIsNotLocal) {
  setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9", 1);
  auto store = OpenStore("s3://b/results/x/");
  ASSERT_OK(store);
  EXPECT_EQ((*store)->root(), "s3://b/results/x/");
  EXPECT_EQ((*store)->LocalPath("0/result.json"), "");
}

TEST(FetchInput, S3PrefixIsNotAnObject) {
  EXPECT_EQ(FetchInput("s3://b/dir/").status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace sweep::storage
