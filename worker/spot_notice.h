// Watches EC2's Spot interruption notice (cloud/aws/imds.h) on its own thread, so the worker
// saves a checkpoint as soon as a reclaim is announced (two minutes ahead), without waiting for
// the SIGTERM that follows. Turned on by SWEEP_SPOT_NOTICE=SECONDS (the poll interval).
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace sweep::worker {

class SpotNoticeWatcher {
 public:
  // Polls every `interval_s` seconds until destroyed; sets `*notice` (which must outlive this
  // object) when a notice appears. Not on EC2 (no IMDSv2 token): one log line, no polling.
  SpotNoticeWatcher(double interval_s, std::atomic<bool>* notice);
  ~SpotNoticeWatcher();
  SpotNoticeWatcher(const SpotNoticeWatcher&) = delete;
  SpotNoticeWatcher& operator=(const SpotNoticeWatcher&) = delete;

 private:
  void Run(double interval_s);

  std::atomic<bool>* notice_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

}  // namespace sweep::worker
