#include "sweep/results/publish_best.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "base/file.h"
#include "base/testing.h"
#include "storage/layout.h"

namespace sweep {
namespace {

using nlohmann::json;

RowRecord Succeeded(int index, double accuracy) {
  RowRecord rec;
  rec.state = RowState::kSucceeded;
  storage::RunResult r;
  r.index = index;
  r.status = storage::ResultStatus::kSucceeded;
  r.params = json{{"hidden", index}};
  r.metrics = {{"val_accuracy", accuracy}};
  r.model = storage::ModelPathInIndex();
  rec.result = r;
  return rec;
}

TEST(PublishBest, CopiesTheBestModelThenWritesBestJson) {
  testing::TestDir dir;
  Scan scan;
  scan.root = dir.Path("s");
  scan.expected = 3;
  scan.rows = {Succeeded(0, 0.5), Succeeded(1, 0.9), RowRecord{}};
  ASSERT_OK(WriteFileAtomic(storage::ModelPath(scan.root, 0), "row 0"));
  ASSERT_OK(WriteFileAtomic(storage::ModelPath(scan.root, 1), "row 1"));
  const Leaderboard board = BuildLeaderboard(scan, MetricChoice{"val_accuracy", true, ""});
  auto index = PublishBest(scan, board);
  ASSERT_OK(index);
  EXPECT_EQ(*index, 1);
  std::string model, info;
  ASSERT_OK(ReadFile(storage::BestModelPath(scan.root), &model));
  EXPECT_EQ(model, "row 1");
  ASSERT_OK(ReadFile(storage::BestInfoPath(scan.root), &info));
  const json j = json::parse(info);
  EXPECT_EQ(j["format_version"], kBestInfoFormatVersion);
  EXPECT_EQ(j["index"], 1);
  EXPECT_EQ(j["metric"], "val_accuracy");
  EXPECT_EQ(j["goal"], "max");
  EXPECT_DOUBLE_EQ(j["value"].get<double>(), 0.9);
  EXPECT_EQ(j["params"]["hidden"], 1);
  EXPECT_EQ(j["source"], storage::ModelPath(scan.root, 1));
  EXPECT_EQ(j["published_at"].get<std::string>().size(), 20u);  // 2026-12-07T08:00:00Z
}

TEST(PublishBest, NothingSucceededIsNotFound) {
  Scan scan;
  scan.root = "/nowhere";
  scan.expected = 1;
  scan.rows = {RowRecord{}};
  const Leaderboard board = BuildLeaderboard(scan, MetricChoice{"val_accuracy", true, ""});
  EXPECT_EQ(PublishBest(scan, board).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace sweep
