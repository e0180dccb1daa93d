#include "storage/object_store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "base/testing.h"

namespace sweep::storage {
namespace {

// A bucket in memory; records the object keys that reached the primitives.
class MemoryObjectStore : public ObjectStore {
 public:
  using ObjectStore::ObjectStore;

  std::map<std::string, std::string> objects;
  std::vector<std::string> listed;  // every ListObjects prefix, in call order

 private:
  Status PutObject(const std::string& key, std::string_view contents) override {
    objects[key] = std::string(contents);
    return Status::Ok();
  }
  StatusOr<bool> CreateObject(const std::string& key, std::string_view contents) override {
    return objects.emplace(key, std::string(contents)).second;
  }
  Status PutObjectFile(const std::string& key, const std::string& local_path) override {
    return PutObject(key, "file:" + local_path);
  }
  StatusOr<std::string> GetObject(const std::string& key) override {
    auto it = objects.find(key);
    if (it == objects.end()) return Status::NotFound(bucket() + "/" + key + ": no such object");
    return it->second;
  }
  Status DeleteObject(const std::string& key) override {
    objects.erase(key);
    return Status::Ok();
  }
  StatusOr<std::vector<std::string>> ListObjects(const std::string& key_prefix) override {
    listed.push_back(key_prefix);
    std::vector<std::string> keys;
    for (const auto& [key, contents] : objects) {
      if (key.rfind(key_prefix, 0) == 0) keys.push_back(key);
    }
    return keys;
  }
};

std::vector<std::string> Sorted(std::vector<std::string> keys) {
  std::sort(keys.begin(), keys.end());
  return keys;
}

TEST(ObjectStore, KeysLiveUnderThePrefixWithoutTrailingSlashes) {
  MemoryObjectStore store("s3://b/results/x//", "b", "results/x//");
  EXPECT_EQ(store.root(), "s3://b/results/x//");
  EXPECT_EQ(store.LocalPath("0/result.json"), "");
  ASSERT_OK(store.Put("0/result.json", "{}"));
  ASSERT_OK(store.PutFile("0/model.h5", "/tmp/m.h5"));
  EXPECT_EQ(store.objects,
            (std::map<std::string, std::string>{{"results/x/0/model.h5", "file:/tmp/m.h5"},
                                                {"results/x/0/result.json", "{}"}}));
  EXPECT_EQ(*store.Get("0/model.h5"), "file:/tmp/m.h5");
}

TEST(ObjectStore, NoPrefixMeansTheBucketTop) {
  MemoryObjectStore store("gs://b", "b", "");
  ASSERT_OK(store.Put("sweep.json", "{}"));
  EXPECT_EQ(store.objects.count("sweep.json"), 1u);
  auto keys = store.List("");
  ASSERT_OK(keys);
  EXPECT_EQ(*keys, std::vector<std::string>{"sweep.json"});
}

TEST(ObjectStore, ListAnswersKeysRelativeToThePrefix) {
  MemoryObjectStore store("s3://b/p", "b", "p");
  store.objects = {{"p/0/a", ""}, {"p/1/b", ""}, {"p2/0/c", ""}, {"q/0/d", ""}};
  auto all = store.List("");
  ASSERT_OK(all);
  EXPECT_EQ(Sorted(*all), (std::vector<std::string>{"0/a", "1/b"}));
  auto one = store.List("1/");
  ASSERT_OK(one);
  EXPECT_EQ(*one, std::vector<std::string>{"1/b"});
  EXPECT_EQ(store.listed, (std::vector<std::string>{"p/", "p/1/"}));
}

TEST(ObjectStore, CreateWritesOnlyWhenAbsent) {
  MemoryObjectStore store("s3://b/p", "b", "p");
  EXPECT_EQ(*store.Create("d", "first"), true);
  EXPECT_EQ(*store.Create("d", "second"), false);
  EXPECT_EQ(*store.Get("d"), "first");
}

TEST(ObjectStore, MoveIsGetPutDelete) {
  MemoryObjectStore store("s3://b/p", "b", "p");
  ASSERT_OK(store.Put("tmp", "bytes"));
  ASSERT_OK(store.Put("dst", "old"));
  ASSERT_OK(store.Move("tmp", "dst"));
  EXPECT_EQ(store.objects, (std::map<std::string, std::string>{{"p/dst", "bytes"}}));
  EXPECT_EQ(store.Move("tmp", "dst").code(), StatusCode::kNotFound);
  EXPECT_EQ(*store.Get("dst"), "bytes");
}

TEST(ObjectStore, DeleteOfAnAbsentKeyIsOk) {
  MemoryObjectStore store("s3://b/p", "b", "p");
  ASSERT_OK(store.Delete("never"));
}

TEST(ObjectStore, CheckWritableListsUnderThePrefixAndWritesNothing) {
  MemoryObjectStore store("gs://b/p/", "b", "p/");
  ASSERT_OK(store.CheckWritable());
  EXPECT_EQ(store.listed, std::vector<std::string>{"p/.sweep-writable-check"});
  EXPECT_TRUE(store.objects.empty());
}

}  // namespace
}  // namespace sweep::storage
