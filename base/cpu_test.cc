#include "base/cpu.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "base/testing.h"

namespace sweep {
namespace {

namespace fs = std::filesystem;

class CgroupTest : public ::testing::Test {
 protected:
  void SetUp() override { fs::create_directories(root_ / "cpu"); }
  void Write(const std::string& rel, const std::string& text) {
    std::ofstream(root_ / rel) << text;
  }
  sweep::testing::TestDir tmp_;
  const fs::path root_ = tmp_.path();
};

TEST_F(CgroupTest, MemoryLimitV2V1AndUnlimited) {
  EXPECT_EQ(CgroupMemoryLimit(root_), 0);
  fs::create_directories(root_ / "memory");
  Write("memory/memory.limit_in_bytes", "9223372036854771712\n");  // v1 "unlimited"
  EXPECT_EQ(CgroupMemoryLimit(root_), 0);
  Write("memory/memory.limit_in_bytes", "2147483648\n");
  EXPECT_EQ(CgroupMemoryLimit(root_), 2147483648);
  Write("memory.max", "max\n");
  EXPECT_EQ(CgroupMemoryLimit(root_), 0);
  Write("memory.max", "1073741824\n");
  EXPECT_EQ(CgroupMemoryLimit(root_), 1073741824);
  EXPECT_GT(AvailableMemory(), 0);
}

TEST_F(CgroupTest, V2QuotaOfFourCpus) {
  Write("cpu.max", "400000 100000\n");
  EXPECT_EQ(CgroupCpuQuota(root_), 4);
}

TEST_F(CgroupTest, V2UnlimitedIsZero) {
  Write("cpu.max", "max 100000\n");
  EXPECT_EQ(CgroupCpuQuota(root_), 0);
}

TEST_F(CgroupTest, V2FractionRoundsUp) {
  Write("cpu.max", "150000 100000\n");
  EXPECT_EQ(CgroupCpuQuota(root_), 2);
}

TEST_F(CgroupTest, V1CfsQuota) {
  Write("cpu/cpu.cfs_quota_us", "200000\n");
  Write("cpu/cpu.cfs_period_us", "100000\n");
  EXPECT_EQ(CgroupCpuQuota(root_), 2);
}

TEST_F(CgroupTest, V1NoQuotaIsZero) {
  Write("cpu/cpu.cfs_quota_us", "-1\n");
  Write("cpu/cpu.cfs_period_us", "100000\n");
  EXPECT_EQ(CgroupCpuQuota(root_), 0);
}

TEST(AvailableCpus, EnvironmentOverrideWins) {
  setenv("SWEEP_THREADS", "3", 1);
  EXPECT_EQ(AvailableCpus(), 3);
  unsetenv("SWEEP_THREADS");
  EXPECT_GE(AvailableCpus(), 1);
}

}  // namespace
}  // namespace sweep
