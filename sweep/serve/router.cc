#include "sweep/serve/router.h"

#include <nlohmann/json.hpp>
#include <optional>

#include "base/strings.h"
#include "model/infer.h"

namespace sweep::serve {

using predict::LoadedModel;

struct Router::Target {
  std::string name;
  std::optional<int> version;
  std::string label;
  std::string suffix;  // "", "/metadata", ":predict", "/ready", "/infer", ...
};

namespace {

void Json(HttpResponse* res, int status, const nlohmann::json& body, Route route) {
  res->status = status;
  res->tag = static_cast<int>(route);
  res->body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void Error(HttpResponse* res, int status, std::string_view message, Route route) {
  res->status = status;
  res->tag = static_cast<int>(route);
  res->body = predict::ErrorJson(message);
}

// "NAME[/versions/N|/labels/L]<suffix>" (after "/v1/models/" or "/v2/models/").
std::optional<Router::Target> ParseTarget(std::string_view rest) {
  Router::Target t;
  const size_t end = rest.find_first_of("/:");
  t.name = std::string(rest.substr(0, end));
  if (t.name.empty()) return std::nullopt;
  rest = end == std::string_view::npos ? "" : rest.substr(end);
  for (std::string_view kind : {"/versions/", "/labels/"}) {
    if (!rest.starts_with(kind)) continue;
    rest.remove_prefix(kind.size());
    const size_t e = rest.find_first_of("/:");
    const std::string_view value = rest.substr(0, e);
    rest = e == std::string_view::npos ? "" : rest.substr(e);
    if (kind == "/labels/") {
      t.label = std::string(value);
    } else if (std::optional<int64_t> v = ParseInt(value, 0, 1 << 30)) {
      t.version = static_cast<int>(*v);
    } else {
      t.version = -1;  // never matches: 404 naming the version served
    }
  }
  t.suffix = std::string(rest);
  return t;
}

struct ThreadState {
  predict::RequestParser parser;
  predict::Batch batch;
  std::shared_ptr<const LoadedModel> model;
  std::unique_ptr<model::Inferer> inferer;
  std::vector<float> out;
};

// The per-thread parser, batch buffers and Inferer, rebuilt only when the model changes.
ThreadState& StateFor(const std::shared_ptr<const LoadedModel>& m) {
  thread_local ThreadState state;
  if (state.model != m) {
    state.inferer = std::make_unique<model::Inferer>(m->mlp);
    state.model = m;
  }
  return state;
}

nlohmann::json Shape(const LoadedModel& m, bool with_batch) {
  nlohmann::json s = nlohmann::json::array();
  if (with_batch) s.push_back(-1);
  if (m.input.shape.empty()) s.push_back(m.input.width);
  for (int d : m.input.shape) s.push_back(d);
  return s;
}

nlohmann::json VersionStatus(const LoadedModel& m) {
  return {{"version", std::to_string(m.version)},
          {"state", "AVAILABLE"},
          {"status", {{"error_code", "OK"}, {"error_message", ""}}}};
}

}  // namespace

Router::Router(RouterOptions options, ModelRegistry* registry, ServerMetrics* metrics)
    : options_(std::move(options)), registry_(registry), metrics_(metrics) {}

bool Router::ready() const { return !stopping_ && registry_->Current() != nullptr; }

std::shared_ptr<const LoadedModel> Router::Model(const Target& t, HttpResponse* res) {
  const Route route = static_cast<Route>(res->tag);
  if (t.name != options_.name) {
    Error(res, 404,
          "model '" + t.name + "' is not served here; this server serves '" + options_.name + "'",
          route);
    return nullptr;
  }
  std::shared_ptr<const LoadedModel> m = registry_->Current();
  if (!m) {
    Error(res, 503, "model '" + options_.name + "' is not loaded yet", route);
    return nullptr;
  }
  const std::string served = "; version " + std::to_string(m->version) + " is served (policy " +
                             registry_->policy().Name() + ")";
  if (t.version && *t.version != m->version) {
    const std::string v = *t.version < 0 ? "that version" : "version " + std::to_string(*t.version);
    Error(res, 404, v + " of '" + options_.name + "' is not loaded" + served, route);
    return nullptr;
  }
  if (!t.label.empty() && t.label != registry_->policy().Name()) {
    Error(res, 404, "label '" + t.label + "' of '" + options_.name + "' is not loaded" + served,
          route);
    return nullptr;
  }
  res->headers.emplace_back("X-Model-Version", std::to_string(m->version));
  return m;
}

void Router::Predict(const HttpRequest& req, const Target& t, HttpResponse* res) {
  if (req.method != "POST") return Error(res, 405, "use POST to predict", Route(res->tag));
  std::shared_ptr<const LoadedModel> m = Model(t, res);
  if (!m) return;
  ThreadState& s = StateFor(m);
  const bool infer = res->tag == static_cast<int>(Route::kV2Infer);
  const sweep::Status parsed = infer ? s.parser.ParseInfer(req.body, m->input, &s.batch)
                                     : s.parser.ParsePredict(req.body, m->input, &s.batch);
  if (!parsed.ok()) return Error(res, 400, parsed.message(), Route(res->tag));
  s.out.resize(static_cast<size_t>(s.batch.n) * m->outputs());
  s.inferer->Run(s.batch.values.data(), s.batch.n, s.out.data());
  if (infer) {
    predict::AppendInferResponse(options_.name, m->version, s.batch.id, s.out.data(), s.batch.n,
                                 m->outputs(), &res->body);
  } else {
    predict::AppendPredictResponse(s.batch.form, s.out.data(), s.batch.n, m->outputs(), &res->body);
  }
}

void Router::ModelStatus(const Target& t, bool metadata, HttpResponse* res) {
  std::shared_ptr<const LoadedModel> m = Model(t, res);
  if (!m) return;
  const Route route = static_cast<Route>(res->tag);
  if (!metadata) {
    Json(res, 200,
         {{"model_version_status", {VersionStatus(*m)}}, {"name", options_.name}, {"ready", true}},
         route);
    return;
  }
  nlohmann::json classes =
      m->class_names.empty() ? nlohmann::json::array() : nlohmann::json(m->class_names);
  nlohmann::json pre = nlohmann::json::parse(m->preprocessing, nullptr, false);
  Json(
      res, 200,
      {{"model_spec", {{"name", options_.name}, {"version", std::to_string(m->version)}}},
       {"metadata",
        {{"inputs", {{{"name", "input_0"}, {"dtype", "float32"}, {"shape", Shape(*m, true)}}}},
         {"outputs", {{{"name", "output_0"}, {"dtype", "float32"}, {"shape", {-1, m->outputs()}}}}},
         {"output_kind", m->classifier() ? "probabilities" : "values"},
         {"class_names", classes},
         {"preprocessing", pre.is_discarded() ? nlohmann::json(nullptr) : pre},
         {"params", m->params},
         {"metrics", m->metrics},
         {"source", m->source},
         {"policy", registry_->policy().Name()}}}},
      route);
}

void Router::V2Model(const HttpRequest& req, const Target& t, const std::string& rest,
                     HttpResponse* res) {
  if (rest == "/infer") {
    res->tag = static_cast<int>(Route::kV2Infer);
    return Predict(req, t, res);
  }
  res->tag = static_cast<int>(Route::kV2Model);
  if (req.method != "GET") return Error(res, 405, "use GET", Route::kV2Model);
  if (rest != "" && rest != "/ready") {
    return Error(res, 404, "no such route: " + std::string(req.target), Route::kV2Model);
  }
  std::shared_ptr<const LoadedModel> m = Model(t, res);
  if (!m) return;
  if (rest == "/ready") {
    return Json(res, ready() ? 200 : 503, {{"name", options_.name}, {"ready", ready()}},
                Route::kV2Model);
  }
  Json(res, 200,
       {{"name", options_.name},
        {"versions", {std::to_string(m->version)}},
        {"platform", "sweep_mlp"},
        {"inputs", {{{"name", "input_0"}, {"datatype", "FP32"}, {"shape", Shape(*m, true)}}}},
        {"outputs", {{{"name", "output_0"}, {"datatype", "FP32"}, {"shape", {-1, m->outputs()}}}}}},
       Route::kV2Model);
}

void Router::V2(const HttpRequest& req, const std::string& path, HttpResponse* res) {
  if (path == "/v2" || path == "/v2/") {
    res->tag = static_cast<int>(Route::kV2Server);
    return Json(res, 200,
                {{"name", "sweep"},
                 {"version", options_.server_version},
                 {"extensions", nlohmann::json::array()}},
                Route::kV2Server);
  }
  if (path == "/v2/health/live" || path == "/v2/health/ready") {
    const bool ok = path.ends_with("live") || ready();
    const char* key = path.ends_with("live") ? "live" : "ready";
    return Json(res, ok ? 200 : 503, {{key, ok}}, Route::kV2Health);
  }
  if (path.starts_with("/v2/models/")) {
    if (std::optional<Target> t = ParseTarget(std::string_view(path).substr(11))) {
      return V2Model(req, *t, t->suffix, res);
    }
  }
  Error(res, 404, "no such route: " + path, Route::kUnknown);
}

void Router::Handle(const HttpRequest& req, HttpResponse* res) {
  if (!options_.cors_origin.empty()) {
    res->headers.emplace_back("Access-Control-Allow-Origin", options_.cors_origin);
    if (req.method == "OPTIONS") {
      res->headers.emplace_back("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
      res->headers.emplace_back("Access-Control-Allow-Headers", "Content-Type");
      res->status = 204;
      res->tag = static_cast<int>(Route::kPreflight);
      return;
    }
  }
  const std::string path(req.target.substr(0, req.target.find('?')));
  if (!options_.health_route.empty() && path == options_.health_route) {
    return Json(res, ready() ? 200 : 503, {{"ready", ready()}}, Route::kVertexHealth);
  }
  if (!options_.predict_route.empty() && path == options_.predict_route) {
    res->tag = static_cast<int>(Route::kVertexPredict);
    return Predict(req, Target{options_.name, std::nullopt, "", ""}, res);
  }
  if (path == "/metrics") {
    res->status = 200;
    res->tag = static_cast<int>(Route::kMetrics);
    res->content_type = "text/plain; version=0.0.4";
    res->body = metrics_->Render();
    return;
  }
  if (path.starts_with("/v2")) return V2(req, path, res);
  if (path == "/v1/models" || path == "/v1/models/") {
    std::shared_ptr<const LoadedModel> m = registry_->Current();
    nlohmann::json list = nlohmann::json::array();
    if (m) list.push_back({{"name", options_.name}, {"model_version_status", {VersionStatus(*m)}}});
    return Json(res, 200, {{"models", list}}, Route::kTfList);
  }
  if (path.starts_with("/v1/models/")) {
    if (std::optional<Target> t = ParseTarget(std::string_view(path).substr(11))) {
      if (t->suffix == ":predict") {
        res->tag = static_cast<int>(Route::kTfPredict);
        return Predict(req, *t, res);
      }
      res->tag = static_cast<int>(t->suffix == "/metadata" ? Route::kTfMetadata : Route::kTfStatus);
      if (t->suffix == ":classify" || t->suffix == ":regress") {
        return Error(res, 400, t->suffix.substr(1) + " is not served: use :predict",
                     Route(res->tag));
      }
      if (t->suffix != "" && t->suffix != "/metadata") {
        return Error(res, 404, "no such route: " + path, Route::kUnknown);
      }
      if (req.method != "GET") return Error(res, 405, "use GET", Route(res->tag));
      return ModelStatus(*t, t->suffix == "/metadata", res);
    }
  }
  Error(res, 404, "no such route: " + path, Route::kUnknown);
}

}  // namespace sweep::serve
