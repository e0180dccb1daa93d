#include "sweep/serve/metrics.h"

#include <fmt/format.h>

namespace sweep::serve {

std::string_view RouteName(Route r) {
  switch (r) {
    case Route::kUnknown:
      return "unknown";
    case Route::kTfPredict:
      return "tf_predict";
    case Route::kTfStatus:
      return "tf_status";
    case Route::kTfMetadata:
      return "tf_metadata";
    case Route::kTfList:
      return "tf_models";
    case Route::kV2Server:
      return "v2_server";
    case Route::kV2Health:
      return "v2_health";
    case Route::kV2Model:
      return "v2_model";
    case Route::kV2Infer:
      return "v2_infer";
    case Route::kVertexPredict:
      return "vertex_predict";
    case Route::kVertexHealth:
      return "vertex_health";
    case Route::kMetrics:
      return "metrics";
    case Route::kPreflight:
      return "preflight";
    case Route::kCount:
      break;
  }
  return "unknown";
}

void ServerMetrics::Record(Route route, int code, double seconds) {
  const int r = static_cast<int>(route);
  size_t c = kCodes.size() - 1;  // 0 = any other code
  for (size_t i = 0; i + 1 < kCodes.size(); ++i) {
    if (kCodes[i] == code) c = i;
  }
  requests_[r][c].fetch_add(1, std::memory_order_relaxed);
  size_t b = 0;
  while (b < kBuckets.size() && seconds > kBuckets[b]) ++b;
  buckets_[r][b].fetch_add(1, std::memory_order_relaxed);
  nanos_[r].fetch_add(static_cast<int64_t>(seconds * 1e9), std::memory_order_relaxed);
}

std::string ServerMetrics::Render() const {
  std::string out =
      "# HELP sweep_serve_requests_total Requests answered, by route and status code.\n"
      "# TYPE sweep_serve_requests_total counter\n";
  for (int r = 0; r < kRoutes; ++r) {
    for (size_t c = 0; c < kCodes.size(); ++c) {
      const int64_t n = requests_[r][c].load(std::memory_order_relaxed);
      if (n == 0) continue;
      const std::string code = kCodes[c] ? std::to_string(kCodes[c]) : "other";
      out += fmt::format("sweep_serve_requests_total{{route=\"{}\",code=\"{}\"}} {}\n",
                         RouteName(static_cast<Route>(r)), code, n);
    }
  }
  out +=
      "# HELP sweep_serve_request_seconds Time from the request read to the response written.\n"
      "# TYPE sweep_serve_request_seconds histogram\n";
  for (int r = 0; r < kRoutes; ++r) {
    int64_t total = 0;
    for (const auto& b : buckets_[r]) total += b.load(std::memory_order_relaxed);
    if (total == 0) continue;
    const std::string_view name = RouteName(static_cast<Route>(r));
    int64_t cumulative = 0;
    for (size_t b = 0; b <= kBuckets.size(); ++b) {
      cumulative += buckets_[r][b].load(std::memory_order_relaxed);
      const std::string le = b < kBuckets.size() ? fmt::format("{}", kBuckets[b]) : "+Inf";
      out += fmt::format("sweep_serve_request_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n", name,
                         le, cumulative);
    }
    out += fmt::format("sweep_serve_request_seconds_sum{{route=\"{}\"}} {:.9f}\n", name,
                       nanos_[r].load(std::memory_order_relaxed) / 1e9);
    out += fmt::format("sweep_serve_request_seconds_count{{route=\"{}\"}} {}\n", name, total);
  }
  out += fmt::format(
      "# HELP sweep_serve_model_version The row index of the model answering (-1: none).\n"
      "# TYPE sweep_serve_model_version gauge\nsweep_serve_model_version {}\n"
      "# HELP sweep_serve_model_ready 1 when a model is loaded and the server is not draining.\n"
      "# TYPE sweep_serve_model_ready gauge\nsweep_serve_model_ready {}\n"
      "# HELP sweep_serve_reloads_total Model loads after the first, by result.\n"
      "# TYPE sweep_serve_reloads_total counter\n"
      "sweep_serve_reloads_total{{result=\"ok\"}} {}\n"
      "sweep_serve_reloads_total{{result=\"failed\"}} {}\n",
      version_.load(), ready_.load() ? 1 : 0, reloads_ok_.load(), reloads_failed_.load());
  return out;
}

}  // namespace sweep::serve
