#include "worker/spot_notice.h"

#include <chrono>

#include "base/log.h"
#include "cloud/aws/imds.h"

namespace sweep::worker {

SpotNoticeWatcher::SpotNoticeWatcher(double interval_s, std::atomic<bool>* notice)
    : notice_(notice), thread_([this, interval_s] { Run(interval_s); }) {}

SpotNoticeWatcher::~SpotNoticeWatcher() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    done_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void SpotNoticeWatcher::Run(double interval_s) {
  const std::string endpoint = aws::ImdsEndpoint();
  if (endpoint.empty()) return;
  cloud::HttpClient http;
  std::string token;
  const auto interval = std::chrono::duration<double>(interval_s);
  for (;;) {
    if (token.empty()) {
      StatusOr<std::string> got = aws::ImdsToken(http, endpoint);
      if (!got.ok()) {
        log::Info("spot notices: no instance metadata at " + endpoint + "; not watching");
        return;
      }
      token = *got;
    }
    StatusOr<std::optional<aws::SpotNotice>> polled = aws::PollSpotNotice(http, endpoint, token);
    if (polled.ok() && polled->has_value()) {
      log::Warn("spot interruption notice: " + (*polled)->action + " at " + (*polled)->time +
                "; saving a checkpoint now");
      notice_->store(true);
      return;
    }
    if (!polled.ok() && polled.status().code() == StatusCode::kNotFound) token.clear();
    std::unique_lock<std::mutex> lock(mu_);
    if (cv_.wait_for(lock, interval, [this] { return done_; })) return;
  }
}

}  // namespace sweep::worker
