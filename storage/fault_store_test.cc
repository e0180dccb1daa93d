#include "storage/fault_store.h"

#include "base/testing.h"

namespace sweep::storage {
namespace {

class FaultStoreTest : public ::testing::Test {
 protected:
  sweep::testing::TestDir tmp_;
  std::unique_ptr<Store> base_ = OpenLocalStore(tmp_.path().string());
  FaultStore store_{base_.get()};
};

TEST_F(FaultStoreTest, FailsOnlyTheNthMatchingCallWithoutCallingTheStore) {
  store_.FailNth(StoreOp::kWrite, 2);
  ASSERT_OK(store_.Put("a", "1"));
  Status failed = store_.Put("b", "2");
  EXPECT_EQ(failed.code(), StatusCode::kUnavailable);
  EXPECT_EQ(failed.message(), "injected fault: put b");
  EXPECT_EQ(base_->Get("b").status().code(), StatusCode::kNotFound);  // never written
  ASSERT_OK(store_.Put("c", "3"));
  EXPECT_EQ(store_.calls(StoreOp::kWrite), 3);
  EXPECT_EQ(store_.calls(), 3);
  EXPECT_EQ(store_.faults_injected(), 1);
}

TEST_F(FaultStoreTest, CountsFromWhenTheFaultIsSet) {
  ASSERT_OK(store_.Put("a", "1"));
  store_.FailNth(StoreOp::kAny, 1);
  EXPECT_EQ(store_.Get("a").status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(*store_.Get("a"), "1");
}

TEST_F(FaultStoreTest, FailFromIsAnOutageUntilCleared) {
  ASSERT_OK(store_.Put("a", "1"));
  store_.FailFrom(StoreOp::kAny, 2);
  ASSERT_OK(store_.List(""));
  EXPECT_EQ(store_.Move("a", "b").code(), StatusCode::kUnavailable);
  EXPECT_EQ(store_.Delete("a").code(), StatusCode::kUnavailable);
  EXPECT_EQ(store_.CheckWritable().code(), StatusCode::kUnavailable);
  EXPECT_EQ(store_.List("").status().code(), StatusCode::kUnavailable);
  store_.Clear();
  ASSERT_OK(store_.Move("a", "b"));
  EXPECT_EQ(*base_->Get("b"), "1");
}

TEST_F(FaultStoreTest, TruncatedReadIsOkWithHalfTheBytes) {
  ASSERT_OK(store_.Put("a", "0123456789"));
  store_.TruncateNthRead(1);
  auto got = store_.Get("a");
  ASSERT_OK(got);
  EXPECT_EQ(*got, "01234");
  EXPECT_EQ(*store_.Get("a"), "0123456789");
}

TEST_F(FaultStoreTest, HidesTheLocalPath) {
  EXPECT_FALSE(base_->LocalPath("a").empty());
  EXPECT_EQ(store_.LocalPath("a"), "");
  EXPECT_EQ(store_.root(), base_->root());
}

}  // namespace
}  // namespace sweep::storage
