#include "storage/input_cache.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "base/file.h"
#include "base/strings.h"
#include "base/testing.h"

namespace sweep::storage {
namespace {

TEST(CheckNamesObject, RefusesPrefixes) {
  ASSERT_OK(CheckNamesObject("s3://b/data/x.csv", "data/x.csv"));
  EXPECT_EQ(CheckNamesObject("gs://b", "").code(), StatusCode::kInvalidArgument);
  Status dir = CheckNamesObject("s3://b/data/", "data/");
  EXPECT_EQ(dir.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(dir.message(), "s3://b/data/: names a prefix, not an object");
}

TEST(InputCacheDir, SweepCacheDirThenXdgThenHome) {
  setenv("HOME", "/home/u", 1);
  unsetenv("XDG_CACHE_HOME");
  unsetenv("SWEEP_CACHE_DIR");
  EXPECT_EQ(InputCacheDir(), "/home/u/.cache/sweep");
  setenv("XDG_CACHE_HOME", "/xdg", 1);
  EXPECT_EQ(InputCacheDir(), "/xdg/sweep");
  setenv("SWEEP_CACHE_DIR", "/scratch/cache", 1);
  EXPECT_EQ(InputCacheDir(), "/scratch/cache");
}

TEST(FetchIntoCache, DownloadsOnceThenHits) {
  testing::TestDir dir;
  setenv("SWEEP_CACHE_DIR", dir.path().c_str(), 1);
  int downloads = 0;
  auto download = [&](const std::string& temp) {
    ++downloads;
    return WriteFileAtomic(temp, "hello");
  };
  const RemoteObject o{"gs", "b", "data/x.csv", "1767225600123", 5};
  auto first = FetchIntoCache(o, download);
  ASSERT_OK(first);
  EXPECT_NE(first->find("/gs/b/"), std::string::npos);
  EXPECT_TRUE(EndsWith(*first, "-1767225600123/x.csv"));
  auto second = FetchIntoCache(o, download);
  ASSERT_OK(second);
  EXPECT_EQ(*second, *first);
  EXPECT_EQ(downloads, 1);
}

TEST(FetchIntoCache, WrongSizeIsTransientAndLeavesNothing) {
  testing::TestDir dir;
  setenv("SWEEP_CACHE_DIR", dir.path().c_str(), 1);
  const RemoteObject o{"s3", "b", "k", "etag", 99};
  auto got = FetchIntoCache(o, [](const std::string& temp) { return WriteFileAtomic(temp, "x"); });
  EXPECT_EQ(got.status().code(), StatusCode::kUnavailable);
  auto again = FetchIntoCache({"s3", "b", "k", "etag", 1},
                              [](const std::string&) { return Status::Unavailable("offline"); });
  EXPECT_EQ(again.status().code(), StatusCode::kUnavailable);  // nothing was cached
}

}  // namespace
}  // namespace sweep::storage
