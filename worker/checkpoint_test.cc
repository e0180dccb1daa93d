// RowCheckpoint under storage faults (storage/fault_store.h).
#include "worker/checkpoint.h"

#include "base/exit_code.h"
#include "base/testing.h"
#include "model/train.h"
#include "storage/fault_store.h"
#include "storage/layout.h"

namespace sweep::worker {
namespace {

using storage::StoreOp;

constexpr int kIndex = 2;
constexpr char kHash[] = "0123456789abcdef";

model::TrainState StateAt(int epoch) {
  model::TrainState s;
  s.epoch = epoch;
  s.thread_loss = {0.0};
  s.thread_accuracy = {0.0};
  s.params = {1.0f, 2.0f, static_cast<float>(epoch)};
  return s;
}

class CheckpointFaultTest : public ::testing::Test {
 protected:
  // The epoch a fresh attempt would resume from (0: none), read without faults.
  int ResumedEpoch() {
    RowCheckpoint reader(base_.get(), kIndex, kHash, 9);
    EXPECT_OK(reader.Load());
    return reader.state() ? reader.state()->epoch : 0;
  }

  sweep::testing::TestDir tmp_;
  std::unique_ptr<storage::Store> base_ = storage::OpenLocalStore(tmp_.path().string());
  storage::FaultStore store_{base_.get()};
};

TEST_F(CheckpointFaultTest, AFailedSaveKeepsThePreviousCheckpointWhole) {
  RowCheckpoint ck(&store_, kIndex, kHash, 1);
  ck.Save(StateAt(3));
  store_.FailNth(StoreOp::kWrite, 1);
  ck.Save(StateAt(4));  // a warning, no exception, no abort
  EXPECT_EQ(store_.faults_injected(), 1);
  EXPECT_EQ(ResumedEpoch(), 3);
  ck.Save(StateAt(5));  // the next pause saves again
  EXPECT_EQ(ResumedEpoch(), 5);
}

TEST_F(CheckpointFaultTest, TrainingGoesOnWhenNoCheckpointCanBeSaved) {
  model::TrainConfig config;
  config.epochs = 3;
  config.batch_size = 4;
  config.network.hidden = {4};
  config.checkpoint.seconds = 0;  // a save at every epoch's end
  Dataset data = ZeroDataset(16, 2, 2);
  for (int64_t i = 0; i < data.rows; ++i) data.y[i] = static_cast<float>(i % 2);
  store_.FailFrom(StoreOp::kWrite, 1);
  RowCheckpoint ck(&store_, kIndex, kHash, 1);
  model::TrainHooks hooks;
  hooks.on_checkpoint = [&](const model::TrainState& s) { ck.Save(s); };
  model::Mlp mlp;
  auto report = model::Train(config, data, &mlp, hooks);
  ASSERT_OK(report);
  EXPECT_EQ(report->history.size(), 3u);
  EXPECT_GE(store_.faults_injected(), 1);
  EXPECT_EQ(ResumedEpoch(), 0);
}

TEST_F(CheckpointFaultTest, AFailedReadOfAnExistingCheckpointIsARetryNotARestart) {
  RowCheckpoint(base_.get(), kIndex, kHash, 1).Save(StateAt(3));
  store_.FailNth(StoreOp::kRead, 1);
  RowCheckpoint ck(&store_, kIndex, kHash, 2);
  Status st = ck.Load();
  EXPECT_EQ(st.code(), StatusCode::kUnavailable) << st.ToString();
  EXPECT_EQ(ExitCodeFor(st), ExitCode::kTransient);
  EXPECT_EQ(ck.state(), nullptr);
  EXPECT_EQ(ResumedEpoch(), 3);  // still there for the retry
}

TEST_F(CheckpointFaultTest, ATruncatedReadIsNeverResumed) {
  RowCheckpoint(base_.get(), kIndex, kHash, 1).Save(StateAt(3));
  store_.TruncateNthRead(1);
  RowCheckpoint ck(&store_, kIndex, kHash, 2);
  ASSERT_OK(ck.Load());  // detected as corrupt: a warning, training starts over
  EXPECT_EQ(ck.state(), nullptr);
  EXPECT_TRUE(ck.resumes().empty());
}

TEST_F(CheckpointFaultTest, AFailedRemoveIsAWarning) {
  RowCheckpoint ck(&store_, kIndex, kHash, 1);
  ck.Save(StateAt(3));
  store_.FailNth(StoreOp::kDelete, 1);
  ck.Remove();
  EXPECT_EQ(store_.faults_injected(), 1);
  EXPECT_TRUE(base_->Get(storage::CheckpointPath("", kIndex)).ok());
  ck.Remove();
  EXPECT_EQ(base_->Get(storage::CheckpointPath("", kIndex)).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace sweep::worker
