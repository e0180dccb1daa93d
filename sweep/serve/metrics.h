// The server's Prometheus metrics (text format 0.0.4 at GET /metrics):
//   sweep_serve_requests_total{route, code}        counter
//   sweep_serve_request_seconds{route}             histogram (le buckets 100 us .. 2.5 s)
//   sweep_serve_model_version                      gauge, the row index serving (-1: none)
//   sweep_serve_model_ready                        gauge, 1 when a model answers
//   sweep_serve_reloads_total{result="ok"|"failed"} counter
// Lock-free: every update is one relaxed atomic add, safe from any server thread.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

namespace sweep::serve {

enum class Route : int {
  kUnknown,
  kTfPredict,
  kTfStatus,
  kTfMetadata,
  kTfList,
  kV2Server,
  kV2Health,
  kV2Model,
  kV2Infer,
  kVertexPredict,
  kVertexHealth,
  kMetrics,
  kPreflight,
  kCount
};

std::string_view RouteName(Route r);

class ServerMetrics {
 public:
  static constexpr std::array<double, 14> kBuckets = {
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
  static constexpr std::array<int, 9> kCodes = {200, 204, 400, 404, 405, 413, 500, 503, 0};

  void Record(Route route, int code, double seconds);
  void Reloaded(bool ok) { (ok ? reloads_ok_ : reloads_failed_).fetch_add(1); }
  void SetVersion(int version) { version_.store(version); }
  void SetReady(bool ready) { ready_.store(ready); }
  std::string Render() const;

 private:
  static constexpr int kRoutes = static_cast<int>(Route::kCount);
  std::array<std::array<std::atomic<int64_t>, kCodes.size()>, kRoutes> requests_{};
  std::array<std::array<std::atomic<int64_t>, kBuckets.size() + 1>, kRoutes> buckets_{};
  std::array<std::atomic<int64_t>, kRoutes> nanos_{};
  std::atomic<int64_t> reloads_ok_{0}, reloads_failed_{0};
  std::atomic<int> version_{-1};
  std::atomic<bool> ready_{false};
};

}  // namespace sweep::serve
