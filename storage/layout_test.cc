#include "storage/layout.h"

#include <gtest/gtest.h>

namespace sweep::storage {
namespace {

TEST(Layout, JoinPathHandlesSlashes) {
  EXPECT_EQ(JoinPath("/storage", "x"), "/storage/x");
  EXPECT_EQ(JoinPath("/storage/", "x"), "/storage/x");
  EXPECT_EQ(JoinPath("/storage//", "/x"), "/storage/x");
  EXPECT_EQ(JoinPath("/", "x"), "/x");
  EXPECT_EQ(JoinPath("rel", "a/b"), "rel/a/b");
  EXPECT_EQ(JoinPath("", "x"), "x");
  EXPECT_EQ(JoinPath("/storage/", ""), "/storage");
}

TEST(Layout, JoinPathOnS3Uris) {
  EXPECT_EQ(JoinPath("s3://bucket", "x"), "s3://bucket/x");
  EXPECT_EQ(JoinPath("s3://bucket/", "x"), "s3://bucket/x");
  EXPECT_EQ(JoinPath("s3://bucket/results/run1/", "2/result.json"),
            "s3://bucket/results/run1/2/result.json");
}

TEST(Layout, AdaptiveSearchFiles) {
  EXPECT_EQ(BandPath("/s", 7, 3), "/s/7/bands/3.json");
  EXPECT_EQ(BandPath("", 0, 1), "0/bands/1.json");
  EXPECT_EQ(RungPath("s3://b/p", 0, 2), "s3://b/p/rungs/0-2.json");
  EXPECT_EQ(RungPath("", 1, 1), "rungs/1-1.json");
}

TEST(Layout, PathsOfOneIndex) {
  EXPECT_EQ(IndexDir("/s", 7), "/s/7");
  EXPECT_EQ(ModelDir("/s", 7), "/s/7/model");
  EXPECT_EQ(ModelPath("/s/", 7), "/s/7/model/model.h5");
  EXPECT_EQ(ResultPath("s3://b/p", 0), "s3://b/p/0/result.json");
  EXPECT_EQ(LogPath("/s", 12), "/s/12/worker.log");
  EXPECT_EQ(PlanPath("s3://b/p/"), "s3://b/p/sweep.json");
  EXPECT_EQ(IndexDirOfModel(ModelPath("s3://b/p", 4)), "s3://b/p/4");
  EXPECT_EQ(IndexDirOfModel("/r/3/model/model.h5"), "/r/3");
  EXPECT_EQ(IndexDirOfModel("/r/3/model.h5"), "");
  EXPECT_EQ(IndexDirOfModel("model/model.h5"), "");
}

TEST(Layout, NamesTheScanAndTheEnginesUse) {
  EXPECT_EQ(ResultPath("", 2), "2/result.json");  // a Store key
  EXPECT_EQ(PlanPath(""), "sweep.json");
  EXPECT_EQ(ModelPathInIndex(), "model/model.h5");
  EXPECT_EQ(ModelPath("/r", 3), "/r/3/" + ModelPathInIndex());
  EXPECT_EQ(ModelDir("/r", 3), "/r/3/model");
  EXPECT_EQ(SlurmLogDir("/r/"), "/r/.slurm");
  EXPECT_EQ(SlurmScriptPath("/r/.slurm"), "/r/.slurm/sweep.sbatch");
  EXPECT_EQ(LocalLogPathForRemote(4), "sweep-logs/4/worker.log");
  EXPECT_EQ(SlurmLogDirForRemote("/home/u"), "/home/u/slurm-logs");
  EXPECT_EQ(ResultPath("/r", 1), "/r/1/" + std::string(kResultFile));
  EXPECT_EQ(LogPath("/r", 1), "/r/1/" + std::string(kWorkerLogFile));
  EXPECT_EQ(CheckpointPath("/r", 1), "/r/1/checkpoint/checkpoint.bin");
  EXPECT_EQ(HistoryDir("s3://b/r", "20261207T041500Z"), "s3://b/r/history/20261207T041500Z");
  EXPECT_TRUE(IsOwnRootEntry("sweep.json"));
  EXPECT_TRUE(IsOwnRootEntry("rungs"));
  EXPECT_TRUE(IsOwnRootEntry(".sweep.lock"));
  EXPECT_FALSE(IsOwnRootEntry("notes.txt"));
  EXPECT_FALSE(IsOwnRootEntry(""));
  EXPECT_EQ(HistoryPrefix(), "history/");
  EXPECT_EQ(HistoryPrefix("20261207T041500Z"), "history/20261207T041500Z/");
}

TEST(Layout, IsS3Uri) {
  EXPECT_TRUE(IsS3Uri("s3://b/k"));
  EXPECT_FALSE(IsS3Uri("/s3://b"));
  EXPECT_FALSE(IsS3Uri("S3://b"));
  EXPECT_FALSE(IsS3Uri("data.csv"));
  EXPECT_TRUE(IsGcsUri("gs://b/k"));
  EXPECT_FALSE(IsGcsUri("/gcs/b/k"));
  EXPECT_TRUE(IsRemoteUri("gs://b"));
  EXPECT_TRUE(IsRemoteUri("s3://b"));
  EXPECT_FALSE(IsRemoteUri("gcs://b"));
}

}  // namespace
}  // namespace sweep::storage
