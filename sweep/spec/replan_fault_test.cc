// ReplanStorage under storage faults: every call of the store failing in turn
// (storage/fault_store.h), then a second replan on healthy storage.
#include <filesystem>
#include <map>

#include "base/exit_code.h"
#include "base/testing.h"
#include "storage/fault_store.h"
#include "storage/layout.h"
#include "sweep/spec/replan.h"

namespace sweep {
namespace {

namespace fs = std::filesystem;
using storage::StoreOp;

Plan PlanOf(const std::vector<double>& rates) {
  Spec spec;
  spec.source = "spec.yml";
  for (double r : rates) spec.rows.push_back({{"learning_rate", r}});
  return MakePlan(spec, "text", {});
}

// Every file of the storage outside history/, key -> bytes.
using Files = std::map<std::string, std::string>;

class ReplanFaultTest : public ::testing::Test {
 protected:
  // Old plan: 4 rows, each published (result.json, model.h5, worker.log). New plan: row 0
  // kept, rows 1 and 2 changed, row 3 removed.
  void Seed() {
    fs::remove_all(tmp_.path());
    fs::create_directories(tmp_.path());
    ASSERT_OK(WritePlanOnce(*base_, old_plan_));
    for (int i = 0; i < 4; ++i) {
      for (const std::string& key :
           {storage::ResultPath("", i), storage::ModelPath("", i), storage::LogPath("", i)}) {
        ASSERT_OK(base_->Put(key, key + " of the old plan"));
      }
    }
    ASSERT_OK(Snapshot(&seeded_));
  }

  Status Snapshot(Files* out) {
    out->clear();
    SWEEP_ASSIGN_OR_RETURN(std::vector<std::string> keys, base_->List(""));
    for (const std::string& key : keys) {
      if (key.rfind("history/", 0) == 0 || key == storage::PlanPath("")) continue;
      SWEEP_ASSIGN_OR_RETURN((*out)[key], base_->Get(key));
    }
    return Status::Ok();
  }

  // Every seeded file is in place or in some history folder, byte for byte.
  void ExpectNothingLost() {
    auto keys = base_->List("");
    ASSERT_OK(keys);
    for (const auto& [key, bytes] : seeded_) {
      bool found = false;
      for (const std::string& k : *keys) {
        const bool same_key =
            k == key || (k.rfind("history/", 0) == 0 && k.size() > key.size() &&
                         k.compare(k.size() - key.size() - 1, std::string::npos, "/" + key) == 0);
        if (same_key && *base_->Get(k) == bytes) found = true;
      }
      EXPECT_TRUE(found) << key << " lost";
    }
  }

  // Under whichever plan is in place, no row has a result.json without its model.h5.
  void ExpectNoResultWithoutModel() {
    for (int i = 0; i < 4; ++i) {
      const bool result = base_->Get(storage::ResultPath("", i)).ok();
      const bool model = base_->Get(storage::ModelPath("", i)).ok();
      EXPECT_TRUE(!result || model) << "row " << i << ": result.json without its model";
    }
  }

  Plan PlanInPlace() {
    auto plan = ReadPlan(*base_);
    EXPECT_TRUE(plan.ok() && plan->has_value());
    return plan.ok() && plan->has_value() ? **plan : Plan();
  }

  sweep::testing::TestDir tmp_;
  std::unique_ptr<storage::Store> base_ = storage::OpenLocalStore(tmp_.path().string());
  const Plan old_plan_ = PlanOf({0.1, 0.2, 0.3, 0.4});
  const Plan new_plan_ = PlanOf({0.1, 0.5, 0.6});
  Files seeded_;
};

TEST_F(ReplanFaultTest, AFailureAnywhereLeavesTheOldPlanOrOneASecondReplanCompletes) {
  Seed();
  storage::FaultStore counter(base_.get());
  ASSERT_OK(ReplanStorage(counter, new_plan_, true));
  const int calls = counter.calls();
  ASSERT_GE(calls, 8);  // list, get, put, list, 6 moves, put
  for (int n = 1; n <= calls; ++n) {
    for (bool outage : {false, true}) {
      SCOPED_TRACE("fault at call " + std::to_string(n) + (outage ? " and after" : ""));
      Seed();
      storage::FaultStore store(base_.get());
      if (outage) {
        store.FailFrom(StoreOp::kAny, n);
      } else {
        store.FailNth(StoreOp::kAny, n);
      }
      StatusOr<ReplanReport> failed = ReplanStorage(store, new_plan_, true);
      ASSERT_FALSE(failed.ok());
      EXPECT_EQ(ExitCodeFor(failed.status()), ExitCode::kTransient) << failed.status().ToString();
      EXPECT_EQ(PlanInPlace().rows_hash, old_plan_.rows_hash);  // the new plan is written last
      ExpectNothingLost();
      ExpectNoResultWithoutModel();
      Files kept;
      ASSERT_OK(Snapshot(&kept));
      for (const char* name : {"result.json", "model/model.h5", "worker.log"}) {
        EXPECT_EQ(kept["0/" + std::string(name)], seeded_["0/" + std::string(name)]);
      }

      store.Clear();
      StatusOr<ReplanReport> again = ReplanStorage(store, new_plan_, true);
      ASSERT_OK(again);
      EXPECT_EQ(PlanInPlace().rows_hash, new_plan_.rows_hash);
      ExpectNothingLost();
      ASSERT_OK(Snapshot(&kept));
      EXPECT_EQ(kept.size(), 3u) << "only row 0's files stay in place";
      for (const auto& [key, bytes] : kept) EXPECT_EQ(key.rfind("0/", 0), 0u) << key;
    }
  }
}

}  // namespace
}  // namespace sweep
