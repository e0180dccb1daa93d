// The one place that decides which AWS answers are worth another try, and how long to wait.
//
// FromHttp turns an HTTP status plus the service's error code (S3's <Code>, STS's <Code>,
// Batch's x-amzn-errortype, SSO OIDC's "error") into a Status: Unavailable (transient: retry)
// for 5xx, 429, throttling codes (SlowDown, Throttling, ThrottlingException,
// TooManyRequestsException, RequestLimitExceeded, ...), timeouts (RequestTimeout), clock skew
// (RequestTimeTooSkewed) and IDPCommunicationError; InvalidArgument for everything else (403,
// other 4xx: retrying cannot help). Transport failures are already Status (cloud::FromCurl).
//
// Backoff: cloud/retry.h (shared with Google Cloud). Every AWS call with retries (S3, STS, SSO,
// SSO OIDC, container/IMDS credentials, throttled Batch SubmitJob) goes through its Backoff or
// WithRetries.
// Thread-safety: functions are thread-safe; one Backoff per call (not shared between threads).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"
#include "cloud/retry.h"

namespace sweep::aws {

using cloud::Backoff;
using cloud::BackoffMs;
using cloud::CredentialRetryPolicy;
using cloud::RandomSeed;
using cloud::RetryClock;
using cloud::RetryPolicy;
using cloud::WithRetries;

// True when the service refused the request before acting on it (429, throttling codes):
// retrying is safe even for calls that are not idempotent.
bool IsThrottling(long status, std::string_view aws_error_code);

// Unavailable when the answer is transient (see above), else InvalidArgument; `message`
// becomes the Status message unchanged. Requires: status is not 2xx.
Status FromHttp(long status, std::string_view aws_error_code, std::string message);

}  // namespace sweep::aws
