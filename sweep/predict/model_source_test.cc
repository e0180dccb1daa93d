#include "sweep/predict/model_source.h"

#include <gtest/gtest.h>

#include "base/file.h"
#include "base/testing.h"
#include "storage/layout.h"

namespace sweep::predict {
namespace {

class ModelSourceTest : public ::testing::Test {
 protected:
  std::string Root() const { return dir_.path().string(); }
  void Publish(int index, bool ok, double acc, const std::string& finished_at) {
    storage::RunResult r;
    r.index = index;
    r.status = ok ? storage::ResultStatus::kSucceeded : storage::ResultStatus::kFailed;
    r.metrics["val_accuracy"] = acc;
    r.finished_at = finished_at;
    if (ok) r.model = storage::ModelPathInIndex();
    if (!ok) r.error = "boom", r.exit_code = 2;
    ASSERT_OK(CreateDirectories(storage::IndexDir(Root(), index)));
    ASSERT_OK(WriteFileAtomic(storage::ResultPath(Root(), index), storage::ToJsonText(r)));
  }
  StatusOr<ModelChoice> Choose(const std::string& arg, const std::string& policy) {
    auto w = ModelWatcher::Open(arg, *ParsePolicy(policy));
    if (!w.ok()) return w.status();
    return (*w)->Choose();
  }
  testing::TestDir dir_;
};

TEST_F(ModelSourceTest, BestLatestAndIndexInARoot) {
  Publish(0, true, 0.5, "2026-12-04T10:00:03.000Z");
  Publish(1, true, 0.9, "2026-12-04T10:00:01.000Z");
  Publish(2, true, 0.7, "2026-12-04T10:00:02.000Z");
  Publish(3, false, 0, "2026-12-04T10:00:09.000Z");
  auto best = Choose(Root(), "best");
  ASSERT_OK(best);
  EXPECT_EQ(best->version, 1);
  EXPECT_EQ(best->model, storage::ModelPath(Root(), 1));
  EXPECT_NE(best->why.find("val_accuracy"), std::string::npos) << best->why;
  EXPECT_EQ(Choose(Root(), "latest")->version, 0);
  EXPECT_EQ(Choose(Root(), "index:2")->version, 2);
  EXPECT_EQ(Choose(Root(), "index:3").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(Choose(Root(), "index:9").status().code(), StatusCode::kNotFound);
}

TEST_F(ModelSourceTest, AWatcherSeesABetterRowPublishedLater) {
  Publish(0, true, 0.5, "");
  auto w = ModelWatcher::Open(Root(), Policy{});
  ASSERT_OK(w);
  EXPECT_EQ((*w)->Choose()->version, 0);
  Publish(4, true, 0.95, "");
  EXPECT_EQ((*w)->Choose()->version, 4);
}

TEST_F(ModelSourceTest, RowFolderAndModelFile) {
  Publish(2, true, 0.7, "");
  Publish(3, false, 0, "");
  auto row = Choose(storage::IndexDir(Root(), 2), "best");
  ASSERT_OK(row);
  EXPECT_EQ(row->version, 2);
  EXPECT_EQ(row->model, storage::ModelPath(Root(), 2));
  auto failed = Choose(storage::IndexDir(Root(), 3) + "/", "best");
  EXPECT_EQ(failed.status().code(), StatusCode::kNotFound);
  EXPECT_NE(failed.status().message().find("boom"), std::string::npos);
  ASSERT_OK(CreateDirectories(storage::ModelDir(Root(), 2)));
  ASSERT_OK(WriteFileAtomic(storage::ModelPath(Root(), 2), "h5"));
  auto file = Choose(storage::ModelPath(Root(), 2), "best");
  ASSERT_OK(file);
  EXPECT_EQ(file->version, 2);  // from the row's result.json
  ASSERT_OK(WriteFileAtomic(dir_.Path("elsewhere.h5"), "x"));
  auto plain = Choose(dir_.Path("elsewhere.h5"), "best");
  ASSERT_OK(plain);
  EXPECT_EQ(plain->version, 1);
  EXPECT_FALSE(plain->result.has_value());
  EXPECT_EQ(Choose(dir_.Path("absent.h5"), "best").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(Choose(dir_.Path("absent"), "best").status().code(), StatusCode::kNotFound);
}

TEST_F(ModelSourceTest, EmptyRootIsNotFoundUntilARowSucceeds) {
  Publish(0, false, 0, "");
  auto c = Choose(Root(), "best");
  EXPECT_EQ(c.status().code(), StatusCode::kNotFound);
  EXPECT_NE(c.status().message().find("no row has succeeded yet (1 failed)"), std::string::npos);
}

TEST(ParsePolicy, NamesAndErrors) {
  EXPECT_EQ(ParsePolicy("best")->kind, PolicyKind::kBest);
  EXPECT_EQ(ParsePolicy("latest")->Name(), "latest");
  EXPECT_EQ(ParsePolicy("index:12")->index, 12);
  EXPECT_EQ(ParsePolicy("index:12")->Name(), "index:12");
  for (const char* bad : {"", "Best", "index:", "index:-1", "index:x", "newest"}) {
    EXPECT_EQ(ParsePolicy(bad).status().code(), StatusCode::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace sweep::predict
