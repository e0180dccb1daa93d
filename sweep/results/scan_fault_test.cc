// ScanStore (collect, status, run, submit --missing) over a store whose lists and reads fail
// (storage/fault_store.h).
#include "base/exit_code.h"
#include "base/testing.h"
#include "storage/checkpoint.h"
#include "storage/fault_store.h"
#include "storage/layout.h"
#include "sweep/results/scan.h"

namespace sweep {
namespace {

using storage::StoreOp;

storage::RunResult Succeeded(int index) {
  storage::RunResult r;
  r.index = index;
  r.status = storage::ResultStatus::kSucceeded;
  r.metrics["val_accuracy"] = 0.5 + index / 10.0;
  r.model = "model/model.h5";
  return r;
}

// Five rows: 0-2 succeeded, 3 has a checkpoint only (unfinished), 4 nothing (missing).
class ScanFaultTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Spec spec;
    spec.source = "spec.yml";
    for (int i = 0; i < 5; ++i) spec.rows.push_back({{"learning_rate", 0.1 * (i + 1)}});
    ASSERT_OK(WritePlanOnce(*base_, MakePlan(spec, "text", {})));
    for (int i = 0; i < 3; ++i) {
      ASSERT_OK(base_->Put(storage::ResultPath("", i), ToJsonText(Succeeded(i))));
      ASSERT_OK(base_->Put(storage::ModelPath("", i), "h5"));
    }
    model::TrainState state;
    state.epoch = 2;
    ASSERT_OK(base_->Put(storage::CheckpointPath("", 3),
                         storage::EncodeCheckpoint(state, {"0123456789abcdef", "{}"})));
  }

  sweep::testing::TestDir tmp_;
  std::unique_ptr<storage::Store> base_ = storage::OpenLocalStore(tmp_.path().string());
  storage::FaultStore store_{base_.get()};
};

std::vector<RowState> States(const Scan& scan) {
  std::vector<RowState> out;
  for (const RowRecord& r : scan.rows) out.push_back(r.state);
  return out;
}

TEST_F(ScanFaultTest, HealthyStoreGivesEveryRowsState) {
  auto scan = ScanStore(store_);
  ASSERT_OK(scan);
  EXPECT_EQ(States(*scan),
            (std::vector<RowState>{RowState::kSucceeded, RowState::kSucceeded, RowState::kSucceeded,
                                   RowState::kUnfinished, RowState::kMissing}));
  EXPECT_TRUE(scan->problems.empty());
  EXPECT_EQ(store_.calls(StoreOp::kList), 1);
}

// A finished row read as missing would be trained again by `sweep run` and resubmitted by
// `sweep submit --missing`; a plan read as absent would change the row count.
TEST_F(ScanFaultTest, AnyFailedListOrReadFailsTheScanAsTransient) {
  ASSERT_OK(ScanStore(store_));
  const int calls = store_.calls();
  ASSERT_EQ(calls, 6);  // sweep.json, the listing, three result.json, one checkpoint
  for (int n = 1; n <= calls; ++n) {
    SCOPED_TRACE("fault at call " + std::to_string(n));
    storage::FaultStore store(base_.get());
    store.FailNth(StoreOp::kAny, n);
    auto scan = ScanStore(store);
    ASSERT_FALSE(scan.ok());
    EXPECT_EQ(scan.status().code(), StatusCode::kUnavailable);
    EXPECT_EQ(ExitCodeFor(scan.status()), ExitCode::kTransient);
    EXPECT_NE(scan.status().message().find("injected fault"), std::string::npos)
        << scan.status().message();
  }
}

TEST_F(ScanFaultTest, ATruncatedResultIsCorruptNeverAShorterValidOne) {
  for (int n = 1; n <= 5; ++n) {  // sweep.json, then each result.json and the checkpoint
    SCOPED_TRACE("truncated read " + std::to_string(n));
    storage::FaultStore store(base_.get());
    store.TruncateNthRead(n);
    auto scan = ScanStore(store);
    ASSERT_OK(scan);
    if (n == 1) {
      EXPECT_FALSE(scan->plan.has_value());
      ASSERT_FALSE(scan->problems.empty());
      EXPECT_EQ(scan->problems[0].rfind("sweep.json: ", 0), 0u) << scan->problems[0];
      continue;
    }
    ASSERT_EQ(scan->rows.size(), 5u);
    if (n <= 4) {
      EXPECT_EQ(scan->rows[n - 2].state, RowState::kCorrupt);
      ASSERT_EQ(scan->problems.size(), 1u);
      EXPECT_EQ(scan->problems[0].rfind(std::to_string(n - 2) + "/result.json: ", 0), 0u)
          << scan->problems[0];
    } else {
      // A checkpoint's position is a hint: a truncated head leaves the row missing, no problem.
      EXPECT_NE(scan->rows[3].state, RowState::kSucceeded);
    }
  }
}

}  // namespace
}  // namespace sweep
