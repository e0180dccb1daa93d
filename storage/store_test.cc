#include "storage/store.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "base/file.h"
#include "base/testing.h"

namespace sweep::storage {
namespace {

namespace fs = std::filesystem;

class LocalStoreTest : public ::testing::Test {
 protected:
  sweep::testing::TestDir tmp_;
  const fs::path dir_ = tmp_.path();
};

TEST_F(LocalStoreTest, PutGetListAndLocalPath) {
  auto store = OpenStore(dir_.string() + "/");
  ASSERT_OK(store);
  Store& s = **store;
  ASSERT_OK(s.CheckWritable());
  ASSERT_OK(s.Put("2/result.json", "{}"));
  ASSERT_OK(s.Put("sweep.json", "plan"));
  ASSERT_OK(WriteFileAtomic((dir_ / "local.bin").string(), "bytes"));
  ASSERT_OK(s.PutFile("2/model/model.h5", (dir_ / "local.bin").string()));
  EXPECT_EQ(*s.Get("2/model/model.h5"), "bytes");
  EXPECT_EQ(s.Get("9/result.json").status().code(), StatusCode::kNotFound);
  ASSERT_OK(WriteFileAtomic((dir_ / "2/.result.json.tmp.1.0").string(), "torn"));
  auto keys = s.List("2/");
  ASSERT_OK(keys);
  std::sort(keys->begin(), keys->end());
  EXPECT_EQ(*keys, (std::vector<std::string>{"2/model/model.h5", "2/result.json"}));
  EXPECT_EQ(s.List("")->size(), 4u);  // local.bin, sweep.json and the two above
  EXPECT_EQ(s.LocalPath("2/result.json"), dir_.string() + "/2/result.json");
}

TEST_F(LocalStoreTest, CreateIsCreateOnly) {
  auto store = OpenStore(dir_.string());
  ASSERT_OK(store);
  StatusOr<bool> made = (*store)->Create("rungs/0-1.json", "a");
  ASSERT_OK(made);
  EXPECT_TRUE(*made);
  made = (*store)->Create("rungs/0-1.json", "b");
  ASSERT_OK(made);
  EXPECT_FALSE(*made);
  EXPECT_EQ(*(*store)->Get("rungs/0-1.json"), "a");
}

TEST_F(LocalStoreTest, PutFileOntoItselfIsANoOp) {
  auto s = OpenLocalStore(dir_.string());
  ASSERT_OK(s->Put("a", "x"));
  EXPECT_OK(s->PutFile("a", s->LocalPath("a")));
  EXPECT_EQ(*s->Get("a"), "x");
}

TEST_F(LocalStoreTest, MoveMakesFoldersAndDeleteIgnoresAbsentKeys) {
  auto s = OpenLocalStore(dir_.string());
  ASSERT_OK(s->Put("1/result.json", "r"));
  ASSERT_OK(s->Move("1/result.json", "history/t/1/result.json"));
  EXPECT_EQ(*s->Get("history/t/1/result.json"), "r");
  EXPECT_EQ(s->Get("1/result.json").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(s->Move("1/result.json", "x").code(), StatusCode::kNotFound);
  ASSERT_OK(s->Delete("history/t/1/result.json"));
  EXPECT_FALSE(fs::exists(dir_ / "history/t/1/result.json"));
  EXPECT_OK(s->Delete("history/t/1/result.json"));
}

TEST_F(LocalStoreTest, ListOfAMissingRootIsEmpty) {
  auto s = OpenLocalStore((dir_ / "absent").string());
  auto keys = s->List("");
  ASSERT_OK(keys);
  EXPECT_TRUE(keys->empty());
}

TEST(OpenStore, RejectsEmptyAndUnknownSchemes) {
  EXPECT_EQ(OpenStore("").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(OpenStore("azure://bucket").status().code(), StatusCode::kInvalidArgument);
}

TEST(FetchInput, LocalPathsAreReturnedUnchanged) {
  EXPECT_EQ(*FetchInput("/data/zoo.csv"), "/data/zoo.csv");
  EXPECT_EQ(*FetchInput("synthetic:blobs"), "synthetic:blobs");
}

}  // namespace
}  // namespace sweep::storage
