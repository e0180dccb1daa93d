#include "base/status.h"

#include "base/exit_code.h"
#include "base/testing.h"

namespace sweep {
namespace {

StatusOr<int> Half(int x) {
  if (x % 2) return Status::InvalidArgument("odd");
  return x / 2;
}

Status Quarter(int x, int* out) {
  SWEEP_ASSIGN_OR_RETURN(int h, Half(x));
  SWEEP_ASSIGN_OR_RETURN(*out, Half(h));
  return Status::Ok();
}

TEST(Status, ContextIsPrependedAndOkStaysOk) {
  EXPECT_EQ(Status::NotFound("k").WithContext("load spec").message(), "load spec: k");
  EXPECT_TRUE(Status::Ok().WithContext("x").ok());
  EXPECT_EQ(Status::Unavailable("503").ToString(), "Unavailable: 503");
}

TEST(Status, AssignOrReturnPropagates) {
  int out = 0;
  ASSERT_OK(Quarter(8, &out));
  EXPECT_EQ(out, 2);
  EXPECT_EQ(Quarter(6, &out).code(), StatusCode::kInvalidArgument);
}

TEST(ExitCode, MapsCodesToTheDocumentedEnum) {
  EXPECT_EQ(ToInt(ExitCodeFor(Status::Ok())), 0);
  EXPECT_EQ(ToInt(ExitCodeFor(Status::InvalidArgument(""))), 2);
  EXPECT_EQ(ToInt(ExitCodeFor(Status::Corruption(""))), 2);
  EXPECT_EQ(ToInt(ExitCodeFor(Status::NotFound(""))), 2);
  EXPECT_EQ(ToInt(ExitCodeFor(Status::Unavailable(""))), 75);
  EXPECT_EQ(ToInt(ExitCodeFor(Status::Cancelled(""))), 143);
  EXPECT_EQ(ToInt(ExitCodeFor(Status::Internal(""))), 1);
}

}  // namespace
}  // namespace sweep
