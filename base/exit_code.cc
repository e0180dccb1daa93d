#include "base/exit_code.h"

namespace sweep {

ExitCode ExitCodeFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk:
      return ExitCode::kOk;
    case StatusCode::kInvalidArgument:
    case StatusCode::kNotFound:
    case StatusCode::kCorruption:
      return ExitCode::kBadInput;
    case StatusCode::kUnavailable:
      return ExitCode::kTransient;
    case StatusCode::kCancelled:
      return ExitCode::kTerminated;
    case StatusCode::kInternal:
      return ExitCode::kBug;
  }
  return ExitCode::kBug;
}

}  // namespace sweep
