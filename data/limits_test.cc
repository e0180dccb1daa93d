#include "data/limits.h"

#include <gtest/gtest.h>

#include <cstdint>

#include "base/file.h"
#include "base/testing.h"

namespace sweep::data {
namespace {

TEST(Limits, CgroupMemoryLimitLowersTheBound) {
  sweep::testing::TestDir dir;
  EXPECT_GT(MemoryLimitBytes(dir.path().string()), 0u);
  ASSERT_OK(WriteFileAtomic(dir.Path("memory.max"), "1048576\n"));
  EXPECT_EQ(MemoryLimitBytes(dir.path().string()), 1048576u);
  ASSERT_OK(WriteFileAtomic(dir.Path("memory.max"), "max\n"));
  EXPECT_GT(MemoryLimitBytes(dir.path().string()), 1048576u);
}

TEST(Limits, CheckNamesTheValueAndTheLimit) {
  EXPECT_OK(CheckDataBytes(1000, "x"));
  Status s = CheckDataBytes(UINT64_MAX, "x.h5: X");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("x.h5: X: 18446744073709551615 bytes is over the data limit of " +
                             std::to_string(DataByteLimit()) + " bytes"),
            std::string::npos)
      << s.ToString();
}

TEST(Limits, CheckedMulCatchesWrap) {
  uint64_t out = 0;
  EXPECT_TRUE(CheckedMul(1u << 31, 1u << 31, &out));
  EXPECT_EQ(out, uint64_t{1} << 62);
  EXPECT_FALSE(CheckedMul(uint64_t{0xFFFFFFFF} * 0xFFFFFFFF, 0xFFFFFFFF, &out));
}

}  // namespace
}  // namespace sweep::data
