// Publish under storage faults: every call of the store failing in turn (storage/fault_store.h).
#include "worker/publish.h"

#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <optional>
#include <vector>

#include "base/exit_code.h"
#include "base/file.h"
#include "base/testing.h"
#include "storage/fault_store.h"
#include "storage/layout.h"

namespace sweep::worker {
namespace {

namespace fs = std::filesystem;
using storage::StoreOp;

constexpr int kIndex = 4;

model::Mlp SmallMlp(uint64_t seed) {
  return model::Mlp(3, {5}, 2, model::Activation::kRelu, model::OutputKind::kSoftmax,
                    model::Init::kAuto, seed);
}

storage::RunResult NewResult() {
  storage::RunResult r;
  r.index = kIndex;
  r.status = storage::ResultStatus::kSucceeded;
  r.params = {{"learning_rate", 0.01}};
  r.metrics = {{"val_loss", 0.5}};
  r.version = "test";
  return r;
}

// What a row's folder holds: result.json's bytes and whether a readable model.h5 is there.
struct RowFiles {
  std::optional<std::string> result;
  bool model = false;
  bool operator==(const RowFiles& o) const { return result == o.result && model == o.model; }
};

class PublishFaultTest : public ::testing::Test {
 protected:
  RowFiles Files() {
    RowFiles f;
    if (auto r = base_->Get(storage::ResultPath("", kIndex)); r.ok()) f.result = *r;
    f.model = storage::ReadModelFile(base_->LocalPath(storage::ModelPath("", kIndex))).ok();
    return f;
  }

  // Nothing else in the row's folder or the temp folder: no temp file, no torn object.
  void ExpectNoLeftovers() {
    std::error_code ec;
    for (const auto& e : fs::recursive_directory_iterator(tmp_.path(), ec)) {
      if (!e.is_regular_file()) continue;
      const std::string name = e.path().filename().string();
      EXPECT_TRUE(name == "result.json" || name == "model.h5") << e.path();
    }
    const std::string prefix = "sweep-model-" + std::to_string(getpid()) + "-";
    for (const auto& e : fs::directory_iterator(fs::temp_directory_path(), ec)) {
      EXPECT_NE(e.path().filename().string().rfind(prefix, 0), 0u) << e.path();
    }
  }

  // A result.json present names a whole, readable model (or none, for a diverged row).
  void ExpectConsistent() {
    const RowFiles f = Files();
    if (!f.result) return;
    auto parsed = storage::ParseResult(*f.result);
    ASSERT_OK(parsed);
    if (!parsed->model.empty()) {
      EXPECT_TRUE(f.model) << "result.json without its model";
    }
  }

  Status PublishNew(storage::Store& store) {
    storage::RunResult r = NewResult();
    model::Mlp mlp = SmallMlp(7);
    return Publish(store, kIndex, mlp, data_, &r);
  }

  sweep::testing::TestDir tmp_;
  std::unique_ptr<storage::Store> base_ = storage::OpenLocalStore(tmp_.path().string());
  const Dataset data_ = ZeroDataset(4, 3, 2);
};

// Counts the store calls of one fault-free publish.
int CallsOfOnePublish(storage::Store* base, const Dataset& data) {
  storage::FaultStore counter(base);
  storage::RunResult r = NewResult();
  model::Mlp mlp = SmallMlp(7);
  EXPECT_OK(Publish(counter, kIndex, mlp, data, &r));
  return counter.calls();
}

TEST_F(PublishFaultTest, EveryFailurePointLeavesTheOldStateOrTheNewOne) {
  const int calls = CallsOfOnePublish(base_.get(), data_);
  ASSERT_GE(calls, 2);  // the model, then result.json
  // Starting states: an empty row, and a row an earlier run published (rerun by hand).
  for (bool earlier : {false, true}) {
    for (int n = 1; n <= calls; ++n) {
      for (bool outage : {false, true}) {
        SCOPED_TRACE("earlier " + std::to_string(earlier) + ", fault at call " + std::to_string(n) +
                     (outage ? " and after" : ""));
        fs::remove_all(tmp_.path() / std::to_string(kIndex));
        if (earlier) {
          ASSERT_OK(PublishNew(*base_));
        }
        const RowFiles before = Files();
        storage::FaultStore store(base_.get());
        if (outage) {
          store.FailFrom(StoreOp::kAny, n);
        } else {
          store.FailNth(StoreOp::kAny, n);
        }
        Status st = PublishNew(store);
        ASSERT_FALSE(st.ok());
        EXPECT_EQ(st.code(), StatusCode::kUnavailable) << st.ToString();
        EXPECT_EQ(ExitCodeFor(st), ExitCode::kTransient);
        // result.json is written last: a failure never replaces it. (The model may already be
        // the new one: a whole file, named by the old result of the same row.)
        EXPECT_EQ(Files().result, before.result);
        ExpectConsistent();
        ExpectNoLeftovers();
        // The engine's retry, storage healthy again, publishes the new state.
        store.Clear();
        ASSERT_OK(PublishNew(store));
        EXPECT_TRUE(Files().model);
        ASSERT_TRUE(Files().result.has_value());
        EXPECT_EQ(storage::ParseResult(*Files().result)->status, storage::ResultStatus::kSucceeded);
        ExpectNoLeftovers();
      }
    }
  }
}

TEST_F(PublishFaultTest, AFailedModelUploadPublishesNoResult) {
  storage::FaultStore store(base_.get());
  store.FailFrom(StoreOp::kWrite, 1);
  Status st = PublishNew(store);
  EXPECT_EQ(st.code(), StatusCode::kUnavailable);
  EXPECT_EQ(store.calls(StoreOp::kWrite), 1);  // result.json was not even tried
  EXPECT_EQ(Files(), RowFiles());
}

TEST_F(PublishFaultTest, ResultOnlyFailureKeepsThePreviousResult) {
  ASSERT_OK(PublishNew(*base_));
  const RowFiles before = Files();
  storage::FaultStore store(base_.get());
  store.FailNth(StoreOp::kAny, 1);
  storage::RunResult diverged = NewResult();
  diverged.status = storage::ResultStatus::kDiverged;
  Status st = PublishResultOnly(store, kIndex, data_, &diverged);
  EXPECT_EQ(st.code(), StatusCode::kUnavailable);
  EXPECT_EQ(ExitCodeFor(st), ExitCode::kTransient);
  EXPECT_EQ(Files(), before);
  store.Clear();
  ASSERT_OK(PublishResultOnly(store, kIndex, data_, &diverged));
  EXPECT_EQ(storage::ParseResult(*Files().result)->status, storage::ResultStatus::kDiverged);
}

// A SIGKILLed earlier run's temp files, in every folder of the row (a checkpoint's is megabytes),
// go with the next publish; a live writer's stay.
TEST_F(PublishFaultTest, PublishRemovesDeadWritersTempsFromEveryFolderOfTheRow) {
  const pid_t child = sweep::testing::PidOfAnEndedProcess();
  ASSERT_GT(child, 0);
  const std::string dead = std::to_string(child), live = std::to_string(::getppid());
  const fs::path row = tmp_.path() / std::to_string(kIndex);
  const std::vector<fs::path> stale = {row / (".result.json.tmp." + dead + ".0"),
                                       row / "model" / (".model.h5.tmp." + dead + ".1"),
                                       row / "checkpoint" / (".checkpoint.bin.tmp." + dead + ".2"),
                                       row / "bands" / (".3.json.tmp." + dead + ".3")};
  const fs::path alive = row / "checkpoint" / (".checkpoint.bin.tmp." + live + ".0");
  for (const fs::path& p : stale) ASSERT_OK(WriteFileAtomic(p.string(), "x"));
  ASSERT_OK(WriteFileAtomic(alive.string(), "x"));
  ASSERT_OK(PublishNew(*base_));
  for (const fs::path& p : stale) EXPECT_FALSE(fs::exists(p)) << p;
  EXPECT_TRUE(fs::exists(alive));
}

}  // namespace
}  // namespace sweep::worker
