#include "storage/gcs_store.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "base/testing.h"

namespace sweep::storage {
namespace {

TEST(OpenGcsStore, RejectsMalformedRoots) {
  EXPECT_EQ(OpenGcsStore("gs://").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(OpenGcsStore("s3://b").status().code(), StatusCode::kInvalidArgument);
}

TEST(OpenStore, GcsRootIsNotLocal) {
  setenv("STORAGE_EMULATOR_HOST", "127.0.0.1:9", 1);
  auto store = OpenStore("gs://b/results/x/");
  unsetenv("STORAGE_EMULATOR_HOST");
  ASSERT_OK(store);
  EXPECT_EQ((*store)->root(), "gs://b/results/x/");
  EXPECT_EQ((*store)->LocalPath("0/result.json"), "");
}

TEST(FetchInput, GcsPrefixIsNotAnObject) {
  EXPECT_EQ(FetchInput("gs://b/dir/").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ProbeInput("gs://b/").code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace sweep::storage
