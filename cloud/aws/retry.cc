#include "cloud/aws/retry.h"

#include <algorithm>

namespace sweep::aws {
namespace {

// botocore's standard-mode throttling codes (retryhandler.py and retries/standard.py).
constexpr std::string_view kThrottlingCodes[] = {"Throttling",
                                                 "ThrottlingException",
                                                 "ThrottledException",
                                                 "RequestThrottledException",
                                                 "TooManyRequestsException",
                                                 "ProvisionedThroughputExceededException",
                                                 "TransactionInProgressException",
                                                 "RequestLimitExceeded",
                                                 "BandwidthLimitExceeded",
                                                 "RequestThrottled",
                                                 "SlowDown",
                                                 "PriorRequestNotComplete",
                                                 "EC2ThrottledException"};

// Transient without being throttling: the request may have run (or the clock was off).
constexpr std::string_view kTransientCodes[] = {"RequestTimeout",       "RequestTimeoutException",
                                                "RequestTimeTooSkewed", "IDPCommunicationError",
                                                "InternalError",        "ServiceUnavailable"};

bool Contains(const std::string_view* begin, const std::string_view* end, std::string_view v) {
  return !v.empty() && std::find(begin, end, v) != end;
}

}  // namespace

bool IsThrottling(long status, std::string_view code) {
  return status == 429 || Contains(std::begin(kThrottlingCodes), std::end(kThrottlingCodes), code);
}

Status FromHttp(long status, std::string_view code, std::string message) {
  const bool transient = status >= 500 || IsThrottling(status, code) ||
                         Contains(std::begin(kTransientCodes), std::end(kTransientCodes), code);
  return transient ? Status::Unavailable(std::move(message))
                   : Status::InvalidArgument(std::move(message));
}

}  // namespace sweep::aws
