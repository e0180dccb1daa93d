// Test helpers: ASSERT_OK / EXPECT_OK print the Status on failure. Include only from *_test.cc.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "base/status.h"

namespace sweep::testing {

// A fresh, empty folder for the running test, named after it and the process
// ($TMPDIR/<suite>.<test>.<pid>), removed with everything in it when the object goes
// (permissions restored first, for tests that take them away).
class TestDir {
 public:
  TestDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = std::filesystem::temp_directory_path() /
            (std::string(info ? info->test_suite_name() : "sweep") + "." +
             (info ? info->name() : "test") + "." + std::to_string(::getpid()));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TestDir() {
    std::error_code ec;
    std::filesystem::permissions(path_, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::add, ec);
    std::filesystem::remove_all(path_, ec);
  }
  TestDir(const TestDir&) = delete;
  TestDir& operator=(const TestDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // path()/name as a string.
  std::string Path(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// The pid of a child that has exited and been reaped: a writer that is no longer alive (for the
// temp-file rules of base/file.h). 0 when fork fails.
inline pid_t PidOfAnEndedProcess() {
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  if (child < 0 || ::waitpid(child, nullptr, 0) != child) return 0;
  return child;
}

inline ::testing::AssertionResult IsOk(const Status& s) {
  if (s.ok()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << s.ToString();
}
template <typename T>
::testing::AssertionResult IsOk(const StatusOr<T>& s) {
  return IsOk(s.status());
}
}  // namespace sweep::testing

#define ASSERT_OK(expr) ASSERT_TRUE(::sweep::testing::IsOk(expr))
#define EXPECT_OK(expr) EXPECT_TRUE(::sweep::testing::IsOk(expr))
