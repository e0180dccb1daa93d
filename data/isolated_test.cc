#include "data/isolated.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <csignal>
#include <string>

#include "base/testing.h"

namespace sweep::data {
namespace {

TEST(RunIsolated, PassesTheChildsStatusThrough) {
  EXPECT_OK(RunIsolated([] { return Status::Ok(); }, "f.h5", 10));
  Status s = RunIsolated([] { return Status::NotFound("no dataset X"); }, "f.h5", 10);
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.message(), "no dataset X");
}

// What a crafted file does to libhdf5 1.10: a crash in the child is one Corruption line here.
TEST(RunIsolated, ACrashInTheChildIsCorruption) {
  Status s = RunIsolated(
      [] {
        // As a crash inside libhdf5 would: no handler (a sanitizer build installs one).
        std::signal(SIGSEGV, SIG_DFL);
        std::raise(SIGSEGV);
        return Status::Ok();
      },
      "crafted.h5", 10);
  EXPECT_EQ(s.code(), StatusCode::kCorruption);
  EXPECT_EQ(s.message().rfind("crafted.h5: the HDF5 library crashed reading it (signal 11: ", 0),
            0u)
      << s.ToString();
}

TEST(RunIsolated, AHangIsKilledAfterTheTimeout) {
  Status s = RunIsolated(
      [] {
        ::pause();
        return Status::Ok();
      },
      "hang.h5", 1);
  EXPECT_EQ(s.code(), StatusCode::kCorruption);
  EXPECT_EQ(s.message(), "hang.h5: reading it did not finish in 1 s (the HDF5 library hung on it)");
}

TEST(RunIsolatedProgram, ReturnsThePayloadOrTheReportedStatus) {
  auto ok = RunIsolatedProgram({"/bin/sh", "-c", R"(printf '\000payload')"}, "m.h5", 10);
  ASSERT_OK(ok);
  EXPECT_EQ(*ok, "payload");
  auto bad = RunIsolatedProgram({"/bin/sh", "-c", R"(printf '\005no such layer')"}, "m.h5", 10);
  EXPECT_EQ(bad.status().code(), static_cast<StatusCode>(5));
  EXPECT_EQ(bad.status().message(), "no such layer");
}

TEST(RunIsolatedProgram, ACrashAHangOrNoReportIsCorruption) {
  auto crash = RunIsolatedProgram({"/bin/sh", "-c", "kill -SEGV $$"}, "m.h5", 10);
  EXPECT_EQ(crash.status().code(), StatusCode::kCorruption);
  EXPECT_EQ(
      crash.status().message().rfind("m.h5: the HDF5 library crashed reading it (signal 11", 0), 0u)
      << crash.status().ToString();
  auto hang = RunIsolatedProgram({"/bin/sleep", "30"}, "m.h5", 1);
  EXPECT_EQ(hang.status().message(),
            "m.h5: reading it did not finish in 1 s (the HDF5 library hung on it)");
  auto silent = RunIsolatedProgram({"/bin/sh", "-c", "exit 3"}, "m.h5", 10);
  EXPECT_EQ(silent.status().message(),
            "m.h5: the process reading it ended with exit code 3 and no report");
  auto absent = RunIsolatedProgram({"/nonexistent/reader"}, "m.h5", 10);
  EXPECT_EQ(absent.status().code(), StatusCode::kInternal);
}

}  // namespace
}  // namespace sweep::data
