#include "sweep/results/scan.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "base/file.h"
#include "base/testing.h"
#include "storage/checkpoint.h"
#include "storage/layout.h"
#include "sweep/results/leaderboard.h"

namespace sweep {
namespace {

namespace fs = std::filesystem;

storage::RunResult Ok(int index, double val_accuracy) {
  storage::RunResult r;
  r.index = index;
  r.status = storage::ResultStatus::kSucceeded;
  r.metrics["val_accuracy"] = val_accuracy;
  r.epochs = 3;
  r.seconds = 1.5;
  r.model = "model/model.h5";
  return r;
}

storage::RunResult Failed(int index, std::string error) {
  storage::RunResult r;
  r.index = index;
  r.status = storage::ResultStatus::kFailed;
  r.error = std::move(error);
  r.exit_code = 2;
  return r;
}

TEST(ClassifyRow, StatesFromResultAndLog) {
  EXPECT_EQ(ClassifyRow(0, std::nullopt, false).state, RowState::kMissing);
  EXPECT_EQ(ClassifyRow(0, std::nullopt, true).state, RowState::kUnfinished);
  EXPECT_EQ(ClassifyRow(4, ToJsonText(Ok(4, 0.5)), true).state, RowState::kSucceeded);
  RowRecord failed = ClassifyRow(5, ToJsonText(Failed(5, "no such file")), true);
  EXPECT_EQ(failed.state, RowState::kFailed);
  ASSERT_TRUE(failed.result.has_value());
  EXPECT_EQ(failed.result->error, "no such file");
  storage::RunResult diverged = Ok(6, 0.4);
  diverged.status = storage::ResultStatus::kDiverged;
  diverged.model.clear();
  diverged.error = "diverged at epoch 2 (step 8): train loss nan";
  RowRecord d = ClassifyRow(6, ToJsonText(diverged), true);
  EXPECT_EQ(d.state, RowState::kDiverged);
  EXPECT_EQ(RowStateName(d.state), "diverged");
  ASSERT_TRUE(d.result.has_value());
  EXPECT_EQ(d.result->error, diverged.error);
}

TEST(ClassifyRow, CorruptHalfWrittenForeignOrMisplacedResults) {
  std::string text = ToJsonText(Ok(1, 0.5));
  for (const std::string& bad :
       {text.substr(0, text.size() / 2), std::string(""), std::string("\x00\xff\xfe garbage", 12),
        std::string("[1,2]"), std::string("{\"hello\": \"world\"}")}) {
    RowRecord rec = ClassifyRow(1, bad, false);
    EXPECT_EQ(rec.state, RowState::kCorrupt) << bad;
    EXPECT_FALSE(rec.problem.empty());
  }
  RowRecord other = ClassifyRow(2, text, false);
  EXPECT_EQ(other.state, RowState::kCorrupt);
  EXPECT_NE(other.problem.find("index 1"), std::string::npos) << other.problem;
}

class ScanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = (fs::path(::testing::TempDir()) /
             ("scan_test_" + std::to_string(getpid()) + "_" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name()))
                .string();
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }
  void Write(const std::string& path, const std::string& text) {
    ASSERT_OK(WriteFileAtomic(path, text));
  }
  std::string root_;
};

TEST_F(ScanTest, ARowWithACheckpointIsUnfinishedAndStatusSaysWhereItStands) {
  model::TrainState state;
  state.epoch = 4;
  state.batches_done = 17;
  state.thread_loss = state.thread_accuracy = {0};
  Write(storage::CheckpointPath(root_, 1),
        storage::EncodeCheckpoint(state, {"0123456789abcdef", ""}));
  Write(storage::ResultPath(root_, 0), ToJsonText(Ok(0, 0.8)));
  Write(storage::CheckpointPath(root_, 2), "garbage");  // unreadable: the row stays missing
  Write(storage::ResultPath(root_, 3), ToJsonText(Ok(3, 0.8)));
  StatusOr<Scan> scan = ScanStorage(root_);
  ASSERT_OK(scan);
  EXPECT_EQ(scan->rows[1].state, RowState::kUnfinished);
  ASSERT_TRUE(scan->rows[1].checkpoint.has_value());
  EXPECT_EQ(scan->rows[1].checkpoint->epoch, 4);
  EXPECT_EQ(scan->rows[2].state, RowState::kMissing);
  const std::string status = RenderStatus(*scan);
  EXPECT_NE(status.find("    row 1: checkpoint at epoch 4 step 17\n"), std::string::npos) << status;
}

TEST_F(ScanTest, ClassifiesEveryIndexAndReportsProblems) {
  Write(storage::ResultPath(root_, 0), ToJsonText(Ok(0, 0.8)));
  Write(storage::ResultPath(root_, 1), ToJsonText(Failed(1, "bad dataset")));
  Write(storage::LogPath(root_, 2), "epoch 1\n");                         // running or killed
  Write(storage::ResultPath(root_, 4), "{\"format_version\": 1, \"ind");  // torn
  Write(storage::ResultPath(root_, 5), ToJsonText(Ok(5, 0.9)));
  Write(root_ + "/notes.txt", "mine");
  Write(root_ + "/007/result.json", "{}");         // not an index folder name
  Write(root_ + "/5/.result.json.tmp.12.0", "{");  // an interrupted atomic write: ignored
  StatusOr<Scan> scan = ScanStorage(root_);
  ASSERT_OK(scan);
  EXPECT_EQ(scan->expected, 6);  // no plan: 1 + the largest index
  ASSERT_EQ(scan->rows.size(), 6u);
  EXPECT_EQ(scan->rows[0].state, RowState::kSucceeded);
  EXPECT_EQ(scan->rows[1].state, RowState::kFailed);
  EXPECT_EQ(scan->rows[2].state, RowState::kUnfinished);
  EXPECT_EQ(scan->rows[3].state, RowState::kMissing);
  EXPECT_EQ(scan->rows[4].state, RowState::kCorrupt);
  EXPECT_EQ(scan->rows[5].state, RowState::kSucceeded);
  std::string problems;
  for (const auto& p : scan->problems) problems += p + "\n";
  EXPECT_NE(problems.find("notes.txt"), std::string::npos) << problems;
  EXPECT_NE(problems.find("007"), std::string::npos) << problems;
  EXPECT_NE(problems.find("4/result.json"), std::string::npos) << problems;
}

// A local result.json that fails with a transient error fails the whole scan (Unavailable, exit
// 75), as a store's does: the row must not read as corrupt, or `sweep run` would train it again.
// /proc/self/mem gives a real EIO on a read at offset 0. A folder in its place is corrupt.
TEST_F(ScanTest, ATransientReadErrorFailsTheScanAndAFolderIsCorrupt) {
  Write(storage::ResultPath(root_, 0), ToJsonText(Ok(0, 0.8)));
  fs::create_directories(storage::ResultPath(root_, 1));
  StatusOr<Scan> scan = ScanStorage(root_);
  ASSERT_OK(scan);
  EXPECT_EQ(scan->rows[1].state, RowState::kCorrupt);
  EXPECT_NE(scan->rows[1].problem.find("Is a directory"), std::string::npos);
  fs::create_directories(root_ + "/2");
  fs::create_symlink("/proc/self/mem", storage::ResultPath(root_, 2));
  scan = ScanStorage(root_);
  ASSERT_FALSE(scan.ok());
  EXPECT_EQ(scan.status().code(), StatusCode::kUnavailable) << scan.status().message();
  EXPECT_NE(scan.status().message().find("2/result.json"), std::string::npos);
}

TEST_F(ScanTest, UsesThePlanCountAndFlagsIndicesPastIt) {
  Spec spec;
  spec.source = "s.yml";
  spec.rows = {{{"epochs", 1}}, {{"epochs", 2}}, {{"epochs", 3}}};
  Write(storage::PlanPath(root_), PlanToText(MakePlan(spec, "x", {})));
  Write(storage::ResultPath(root_, 1), ToJsonText(Ok(1, 0.5)));
  Write(storage::ResultPath(root_, 7), ToJsonText(Ok(7, 0.5)));
  StatusOr<Scan> scan = ScanStorage(root_);
  ASSERT_OK(scan);
  ASSERT_TRUE(scan->plan.has_value());
  EXPECT_EQ(scan->expected, 3);
  EXPECT_EQ(scan->IndicesIn(RowState::kMissing), (std::vector<int>{0, 2}));
  ASSERT_EQ(scan->problems.size(), 1u);
  EXPECT_NE(scan->problems[0].find("beyond the plan"), std::string::npos);
}

// A row that stopped on bad input publishes nothing; under Slurm its reason is in the task's log.
TEST_F(ScanTest, MissingRowsShowTheReasonTheirSlurmLogGives) {
  Write(storage::ResultPath(root_, 0), ToJsonText(Ok(0, 0.5)));
  Write(storage::ResultPath(root_, 2), ToJsonText(Ok(2, 0.5)));
  Write(root_ + "/.slurm/sweep-5_1.out", "sweep: job 5_1 on n1\nerror: row 1: dataset: gone\n");
  Write(root_ + "/.slurm/sweep-5_0.out", "error: row 0: an earlier try that failed\n");
  StatusOr<Scan> scan = ScanStorage(root_);
  ASSERT_OK(scan);
  EXPECT_EQ(scan->IndicesIn(RowState::kMissing), (std::vector<int>{1}));
  ASSERT_TRUE(scan->rows[1].logged.has_value());
  EXPECT_EQ(scan->rows[1].logged->message, "dataset: gone");
  EXPECT_EQ(scan->rows[1].logged->path, root_ + "/.slurm/sweep-5_1.out");
  EXPECT_FALSE(scan->rows[0].logged.has_value());  // succeeded since: the old log is moot
  EXPECT_TRUE(scan->problems.empty());             // .slurm is not a foreign entry
}

// A Slurm row that started training has no worker.log in its folder: its task log says it runs.
TEST_F(ScanTest, SlurmRowsThatStartedAreUnfinishedNotMissing) {
  Write(storage::ResultPath(root_, 0), ToJsonText(Ok(0, 0.5)));
  Write(storage::ResultPath(root_, 3), ToJsonText(Ok(3, 0.5)));
  Write(root_ + "/.slurm/sweep-5_1.out",
        "sweep: job 5_1 on n1\nrow 1 (attempt 1): ready\nepoch 1/9\n");
  StatusOr<Scan> scan = ScanStorage(root_);
  ASSERT_OK(scan);
  EXPECT_EQ(scan->IndicesIn(RowState::kUnfinished), (std::vector<int>{1}));
  EXPECT_EQ(scan->IndicesIn(RowState::kMissing), (std::vector<int>{2}));
  EXPECT_FALSE(scan->rows[1].logged.has_value());
}

TEST_F(ScanTest, ManyRowsWithSeveralThreads) {
  for (int i = 0; i < 600; ++i) {  // plain writes: 600 fsyncs would make the test slow
    fs::create_directories(storage::IndexDir(root_, i));
    std::ofstream(storage::ResultPath(root_, i)) << ToJsonText(Ok(i, i / 600.0));
  }
  ScanOptions options;
  options.threads = 3;
  StatusOr<Scan> scan = ScanStorage(root_, options);
  ASSERT_OK(scan);
  EXPECT_EQ(scan->IndicesIn(RowState::kSucceeded).size(), 600u);
  EXPECT_TRUE(scan->problems.empty());
}

TEST_F(ScanTest, SkipsHistoryWithoutBeingFooledByStrings) {
  storage::RunResult r = Ok(0, 0.75);
  r.history =
      nlohmann::json::array({{{"epoch", 1}, {"note", "a]\"history\": [{"}}, {{"epoch", 2}}});
  r.host = "history";
  Write(storage::ResultPath(root_, 0), ToJsonText(r));
  std::string torn = ToJsonText(r);
  Write(storage::ResultPath(root_, 1), torn.substr(0, torn.find("epoch\": 2")));
  StatusOr<Scan> scan = ScanStorage(root_);
  ASSERT_OK(scan);
  ASSERT_EQ(scan->rows[0].state, RowState::kSucceeded) << scan->rows[0].problem;
  EXPECT_EQ(scan->rows[0].result->metrics.at("val_accuracy"), 0.75);
  EXPECT_EQ(scan->rows[0].result->host, "history");
  EXPECT_EQ(scan->rows[1].state, RowState::kCorrupt);
}

TEST_F(ScanTest, KeepsHistoryWhenAsked) {
  storage::RunResult r = Ok(0, 0.75);
  r.history = nlohmann::json::array(
      {{{"epoch", 1}, {"val_accuracy", 0.5}}, {{"epoch", 2}, {"val_accuracy", 0.75}}});
  Write(storage::ResultPath(root_, 0), ToJsonText(r));
  StatusOr<Scan> dropped = ScanStorage(root_);
  ASSERT_OK(dropped);
  EXPECT_TRUE(dropped->rows[0].result->history.empty());
  ScanOptions options;
  options.keep_history = true;
  StatusOr<Scan> kept = ScanStorage(root_, options);
  ASSERT_OK(kept);
  EXPECT_EQ(kept->rows[0].result->history, r.history);
}

TEST_F(ScanTest, MissingRootIsNotFound) {
  StatusOr<Scan> scan = ScanStorage(root_ + "/nope");
  ASSERT_FALSE(scan.ok());
  EXPECT_EQ(scan.status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace sweep
