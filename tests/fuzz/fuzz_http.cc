// HTTP requests as `sweep serve` reads them: bytes through Boost.Beast's request parser with the
// server's body limit, then every parsed request through the Router (TF Serving, KServe V2,
// Vertex routes; predict bodies) with a small model loaded.
#include <unistd.h>

#include <boost/beast/http.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "base/file.h"
#include "storage/keras_h5.h"
#include "storage/model_isolated.h"
#include "sweep/serve/metrics.h"
#include "sweep/serve/model_registry.h"
#include "sweep/serve/router.h"

namespace http = boost::beast::http;
using namespace sweep;

namespace {

serve::Router* router = nullptr;

// A 4 -> 3 softmax model taking 2x2 samples, with class names.
storage::ModelFile SmallModel() {
  storage::DenseWeights d{"dense",  4, 3, std::vector<float>(12, 0.1f), {0.1f, 0.2f, 0.3f},
                          "softmax"};
  storage::ModelFile m;
  m.layers = {d};
  m.sample_shape = {2, 2};
  m.class_names = {"a", "b", "c"};
  return m;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  storage::RunModelReaderIfAsked(*argc, *argv);
  const char* tmp = std::getenv("TMPDIR");
  const std::string path =
      std::string(tmp ? tmp : "/tmp") + "/fuzz_http." + std::to_string(::getpid()) + ".h5";
  if (!storage::WriteModelFile(path, SmallModel()).ok()) std::abort();
  auto watcher = predict::ModelWatcher::Open(path, predict::Policy{});
  if (!watcher.ok()) std::abort();
  auto* registry = new serve::ModelRegistry(std::move(*watcher), nullptr);
  if (!registry->Poll().ok()) std::abort();
  ::unlink(path.c_str());  // loaded: the file is no longer needed
  router = new serve::Router(serve::RouterOptions{"model", "/health", "/predict", "*", "fuzz"},
                             registry, new serve::ServerMetrics);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  http::request_parser<http::string_body> parser;
  parser.body_limit(64 << 10);
  boost::beast::error_code ec;
  size_t used = 0;
  while (used < size && !parser.is_done()) {
    const size_t n = parser.put(boost::asio::buffer(data + used, size - used), ec);
    if (ec == http::error::need_more) break;
    if (ec) return 0;
    if (n == 0) break;
    used += n;
  }
  if (!parser.is_done()) {
    // As the server's read does at the end of the stream: put_eof only after some bytes.
    if (!parser.got_some()) return 0;
    parser.put_eof(ec);
    if (ec || !parser.is_done()) return 0;
  }
  const auto& req = parser.get();
  auto origin = req.find(http::field::origin);
  serve::HttpRequest in{std::string_view(req.method_string().data(), req.method_string().size()),
                        std::string_view(req.target().data(), req.target().size()), req.body(),
                        origin == req.end()
                            ? std::string_view()
                            : std::string_view(origin->value().data(), origin->value().size())};
  serve::HttpResponse out;
  router->Handle(in, &out);
  return 0;
}
