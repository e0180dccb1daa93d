#include "sweep/serve/router.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "base/file.h"
#include "base/testing.h"
#include "storage/keras_h5.h"
#include "storage/model_isolated.h"

namespace sweep::serve {
namespace {

// A 6 -> 3 softmax model taking 2x3 samples, with class names.
storage::ModelFile SmallModel() {
  storage::DenseWeights d{"dense", 6, 3, std::vector<float>(18), {0.1f, 0.2f, 0.3f}, "softmax"};
  for (size_t i = 0; i < d.kernel.size(); ++i) d.kernel[i] = 0.01f * i;
  storage::ModelFile m;
  m.layers = {d};
  m.sample_shape = {2, 3};
  m.class_names = {"a", "b", "c"};
  return m;
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK(storage::WriteModelFile(dir_.Path("model.h5"), SmallModel()));
    auto w = predict::ModelWatcher::Open(dir_.Path("model.h5"), predict::Policy{});
    ASSERT_OK(w);
    registry_ = std::make_unique<ModelRegistry>(std::move(*w), nullptr);
    router_ = std::make_unique<Router>(RouterOptions{"model", "/health", "/predict", "", "test"},
                                       registry_.get(), &metrics_);
  }
  HttpResponse Call(std::string_view method, std::string_view target, std::string_view body = "") {
    HttpResponse res;
    router_->Handle(HttpRequest{method, target, body, ""}, &res);
    return res;
  }
  testing::TestDir dir_;
  ServerMetrics metrics_;
  std::unique_ptr<ModelRegistry> registry_;
  std::unique_ptr<Router> router_;
};

std::string Header(const HttpResponse& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "";
}

TEST_F(RouterTest, NotReadyUntilLoaded) {
  EXPECT_EQ(Call("GET", "/v2/health/ready").status, 503);
  EXPECT_EQ(Call("GET", "/health").status, 503);
  EXPECT_EQ(Call("GET", "/v2/health/live").status, 200);
  EXPECT_EQ(Call("POST", "/v1/models/model:predict", R"({"instances": [[1,2,3,4,5,6]]})").status,
            503);
  ASSERT_OK(registry_->Poll());
  EXPECT_EQ(Call("GET", "/v2/health/ready").status, 200);
  EXPECT_EQ(Call("GET", "/health").status, 200);
  router_->StopReady();
  EXPECT_EQ(Call("GET", "/health").status, 503);
}

TEST_F(RouterTest, PredictOnEveryRouteGivesTheSameProbabilities) {
  ASSERT_OK(registry_->Poll());
  const std::string row = R"({"instances": [[[1,2,3],[4,5,6]]]})";
  HttpResponse tf = Call("POST", "/v1/models/model:predict", row);
  ASSERT_EQ(tf.status, 200) << tf.body;
  EXPECT_EQ(Header(tf, "X-Model-Version"), "1");
  const auto p = nlohmann::json::parse(tf.body)["predictions"][0];
  ASSERT_EQ(p.size(), 3u);
  EXPECT_NEAR(p[0].get<double>() + p[1].get<double>() + p[2].get<double>(), 1, 1e-6);
  EXPECT_EQ(nlohmann::json::parse(Call("POST", "/predict", row).body)["predictions"][0], p);
  EXPECT_EQ(nlohmann::json::parse(Call("POST", "/v1/models/model/versions/1:predict",
                                       R"({"inputs": [[1,2,3,4,5,6]]})")
                                      .body)["outputs"][0],
            p);
  EXPECT_EQ(Call("POST", "/v1/models/model/labels/best:predict", row).status, 200);
  HttpResponse v2 = Call("POST", "/v2/models/model/infer",
                         R"({"id": "7", "inputs": [{"name": "input_0", "shape": [1, 6],
                             "datatype": "FP32", "data": [1,2,3,4,5,6]}]})");
  ASSERT_EQ(v2.status, 200) << v2.body;
  const auto j = nlohmann::json::parse(v2.body);
  EXPECT_EQ(j["id"], "7");
  EXPECT_EQ(j["outputs"][0]["data"], p);
}

TEST_F(RouterTest, StatusMetadataAndV2Model) {
  ASSERT_OK(registry_->Poll());
  const auto status = nlohmann::json::parse(Call("GET", "/v1/models/model").body);
  EXPECT_EQ(status["model_version_status"][0]["state"], "AVAILABLE");
  EXPECT_EQ(status["ready"], true);
  EXPECT_EQ(status["name"], "model");
  const auto meta = nlohmann::json::parse(Call("GET", "/v1/models/model/metadata").body);
  EXPECT_EQ(meta["metadata"]["class_names"], nlohmann::json({"a", "b", "c"}));
  EXPECT_EQ(meta["metadata"]["inputs"][0]["shape"], nlohmann::json({-1, 2, 3}));
  const auto v2 = nlohmann::json::parse(Call("GET", "/v2/models/model").body);
  EXPECT_EQ(v2["versions"][0], "1");
  EXPECT_EQ(Call("GET", "/v2/models/model/ready").status, 200);
  EXPECT_EQ(nlohmann::json::parse(Call("GET", "/v1/models").body)["models"].size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(Call("GET", "/v2").body)["name"], "sweep");
}

TEST_F(RouterTest, ErrorsHaveTheRightCodeAndMessage) {
  ASSERT_OK(registry_->Poll());
  const auto error = [&](std::string_view method, std::string_view target, std::string_view body,
                         int code, std::string_view part) {
    HttpResponse r = Call(method, target, body);
    EXPECT_EQ(r.status, code) << target;
    const std::string msg = nlohmann::json::parse(r.body)["error"];
    EXPECT_NE(msg.find(part), std::string::npos) << msg;
  };
  error("POST", "/v1/models/other:predict", "{}", 404, "serves 'model'");
  error("POST", "/v1/models/model/versions/5:predict", "{}", 404, "version 1 is served");
  error("POST", "/v1/models/model/versions/x:predict", "{}", 404, "is not loaded");
  error("POST", "/v1/models/model/labels/latest:predict", "{}", 404, "policy best");
  error("GET", "/v1/models/model:predict", "", 405, "POST");
  error("POST", "/v1/models/model", "", 405, "GET");
  error("POST", "/v1/models/model:classify", "{}", 400, ":predict");
  error("GET", "/v1/models/model/nothing", "", 404, "no such route");
  error("GET", "/nothing", "", 404, "no such route");
  error("POST", "/v1/models/model:predict", "{bad", 400, "not JSON");
  error("POST", "/v1/models/model:predict", R"({"instances": [[1]]})", 400, "[2, 3]");
  error("POST", "/v2/models/model/infer", R"({"inputs": 1})", 400, "\"inputs\"");
  error("GET", "/v2/models/other", "", 404, "serves 'model'");
}

TEST_F(RouterTest, CorsAndMetrics) {
  router_ = std::make_unique<Router>(RouterOptions{"model", "", "", "*", "test"}, registry_.get(),
                                     &metrics_);
  HttpResponse pre = Call("OPTIONS", "/v1/models/model:predict");
  EXPECT_EQ(pre.status, 204);
  EXPECT_EQ(Header(pre, "Access-Control-Allow-Origin"), "*");
  metrics_.Record(Route::kTfPredict, 200, 0.0003);
  metrics_.Record(Route::kTfPredict, 400, 0.002);
  HttpResponse m = Call("GET", "/metrics");
  EXPECT_EQ(m.content_type, "text/plain; version=0.0.4");
  EXPECT_NE(m.body.find("sweep_serve_requests_total{route=\"tf_predict\",code=\"400\"} 1"),
            std::string::npos)
      << m.body;
  EXPECT_NE(m.body.find("sweep_serve_request_seconds_bucket{route=\"tf_predict\",le=\"0.0005\"} 1"),
            std::string::npos);
  EXPECT_NE(m.body.find("sweep_serve_request_seconds_count{route=\"tf_predict\"} 2"),
            std::string::npos);
}

}  // namespace
}  // namespace sweep::serve

namespace sweep::serve {
namespace {

TEST(ModelRegistry, AModelThatFailsToLoadLeavesTheOldOneServing) {
  testing::TestDir dir;
  const std::string path = dir.Path("model.h5");
  ASSERT_OK(storage::WriteModelFile(path, SmallModel()));
  auto w = predict::ModelWatcher::Open(path, predict::Policy{});
  ASSERT_OK(w);
  int failures = 0, loads = 0;
  ModelRegistry registry(std::move(*w), [&](const Status& s, const predict::LoadedModel*, bool) {
    (s.ok() ? loads : failures)++;
  });
  ASSERT_OK(registry.Poll());
  const auto first = registry.Current();
  ASSERT_NE(first, nullptr);
  ASSERT_OK(WriteFileAtomic(path, "not an HDF5 file, but newer"));
  EXPECT_FALSE(registry.Poll().ok());
  EXPECT_EQ(registry.Current(), first);
  EXPECT_OK(registry.Poll());  // the same broken file is not retried (nor logged) again
  EXPECT_EQ(failures, 1);
  storage::ModelFile better = SmallModel();
  better.layers[0].bias = {1, 2, 3};
  ASSERT_OK(storage::WriteModelFile(path, better));
  ASSERT_OK(registry.Poll());
  EXPECT_NE(registry.Current(), first);
  EXPECT_EQ(registry.Current()->mlp.layers()[0].b(2), 3.0f);
  EXPECT_EQ(loads, 2);
}

}  // namespace
}  // namespace sweep::serve

// The registry loads models in a reader process: this same binary (storage/model_isolated.h).
int main(int argc, char** argv) {
  sweep::storage::RunModelReaderIfAsked(argc, argv);
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
