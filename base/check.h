// SWEEP_CHECK: broken invariants abort with file:line; they are bugs, not Status.
#pragma once

namespace sweep::internal {
[[noreturn]] void CheckFailed(const char* expr, const char* file, int line);
}

#define SWEEP_CHECK(cond) \
  ((cond) ? (void)0 : ::sweep::internal::CheckFailed(#cond, __FILE__, __LINE__))
