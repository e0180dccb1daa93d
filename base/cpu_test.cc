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
