// Test helpers: ASSERT_OK / EXPECT_OK print the Status on failure. Include only from *_test.cc.
#pragma once

#include <gtest/gtest.h>

#include "base/status.h"

namespace sweep::testing {
inline ::testing::AssertionResult IsOk(const Status& s) {
  if (s.ok()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << s.ToString();
}
template <typename T>
::testing::AssertionResult IsOk(const StatusOr<T>& s) { return IsOk(s.status()); }
}  // namespace sweep::testing

#define ASSERT_OK(expr) ASSERT_TRUE(::sweep::testing::IsOk(expr))
#define EXPECT_OK(expr) EXPECT_TRUE(::sweep::testing::IsOk(expr))
