#include "sweep/serve/lambda_runtime.h"

#include <fmt/format.h>
#include <stdlib.h>

#include <chrono>
#include <cstdio>

#include "base/log.h"
#include "base/strings.h"
#include "cloud/aws/lambda_runtime_api.h"
#include "sweep/serve/lambda_event.h"
#include "sweep/serve/metrics.h"
#include "sweep/serve/model_registry.h"
#include "sweep/serve/router.h"

namespace sweep::serve {
namespace {

using aws::LambdaErrorBody;
using aws::LambdaInvocation;

int64_t NowEpochMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct Reply {
  std::string error_type;  // "" = a response, else an error post
  std::string body;
  int status = 200;        // the router's status (for the log)
  std::string what = "-";  // "METHOD target" (for the log)
};

Reply Invoke(const LambdaInvocation& inv, const std::string& name, Router& router) {
  StatusOr<LambdaCall> call = ParseLambdaEvent(inv.event, name);
  if (!call.ok()) {
    return {"Sweep.InvalidEvent", LambdaErrorBody("Sweep.InvalidEvent", call.status().message()),
            400, "-"};
  }
  HttpResponse res;
  if (inv.deadline_ms > 0 && NowEpochMs() >= inv.deadline_ms) {
    res.status = 504;
    res.body = predict::ErrorJson(fmt::format(
        "the deadline (Lambda-Runtime-Deadline-Ms {}) passed before the event was handled",
        inv.deadline_ms));
  } else {
    router.Handle(call->Request(), &res);
  }
  std::string what = call->method + " " + call->target;
  if (call->http) return {"", HttpEventReply(res), res.status, std::move(what)};
  if (res.status / 100 == 2) return {"", std::move(res.body), res.status, std::move(what)};
  const std::string type = ErrorTypeForStatus(res.status);
  return {type, LambdaErrorBody(type, ErrorMessageOf(res.body)), res.status, std::move(what)};
}

StatusOr<std::unique_ptr<ModelRegistry>> Init(const ServeOptions& o) {
  if (o.model.empty()) {
    return Status::InvalidArgument(
        "no MODEL given (a model.h5, a row folder or a sweep root, e.g. in the image's CMD)");
  }
  if (o.poll_seconds <= 0) return Status::InvalidArgument("--poll-seconds must be > 0");
  SWEEP_ASSIGN_OR_RETURN(predict::Policy policy, predict::ParsePolicy(o.policy));
  SWEEP_ASSIGN_OR_RETURN(std::unique_ptr<predict::ModelWatcher> watcher,
                         predict::ModelWatcher::Open(o.model, policy));
  auto registry = std::make_unique<ModelRegistry>(
      std::move(watcher), [](const Status& s, const predict::LoadedModel* m, bool first) {
        // A failure is returned by Poll: the caller logs it (or posts it, at init).
        if (!s.ok()) return;
        log::Info(fmt::format("sweep serve (lambda): {} version {} ({})",
                              first ? "serving" : "now serving", m->version, m->source));
      });
  SWEEP_RETURN_IF_ERROR(registry->Poll());
  return registry;
}

void LogLine(const LambdaInvocation& inv, const Reply& r, double ms,
             const ModelRegistry& registry) {
  auto m = registry.Current();
  const char* trace = getenv("_X_AMZN_TRACE_ID");
  const std::string line =
      fmt::format("lambda {} {} {} {:.3f}ms v{} {}trace={}\n", inv.id, r.what, r.status, ms,
                  m ? std::to_string(m->version) : "-",
                  r.error_type.empty() ? "" : r.error_type + " ", trace ? trace : "-");
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace

Status RunLambdaRuntime(const ServeOptions& o, const std::string& runtime_api) {
  if (GetEnv("SWEEP_CACHE_DIR").empty()) setenv("SWEEP_CACHE_DIR", "/tmp/sweep-cache", 1);
  aws::LambdaRuntimeApi api(runtime_api);
  StatusOr<std::unique_ptr<ModelRegistry>> registry = Init(o);
  if (!registry.ok()) {
    if (Status s = api.InitError("Sweep.InitError", registry.status().message()); !s.ok()) {
      log::Warn("sweep serve (lambda): cannot post the init error: " + s.message());
    }
    return registry.status();
  }
  ServerMetrics metrics;
  Router router(RouterOptions{o.name, "", "", o.cors_origin, o.version}, registry->get(), &metrics);
  log::Info(fmt::format("sweep serve (lambda): runtime API {} (model '{}', policy {})", runtime_api,
                        o.name, o.policy));
  const auto recheck = std::chrono::milliseconds(static_cast<int64_t>(o.poll_seconds * 1000));
  auto checked = std::chrono::steady_clock::now();
  for (;;) {
    SWEEP_ASSIGN_OR_RETURN(LambdaInvocation inv, api.Next());
    const auto start = std::chrono::steady_clock::now();
    if (inv.trace.empty()) {
      unsetenv("_X_AMZN_TRACE_ID");
    } else {
      setenv("_X_AMZN_TRACE_ID", inv.trace.c_str(), 1);
    }
    const bool time_left = inv.deadline_ms == 0 || inv.deadline_ms - NowEpochMs() >= 1000;
    if (start - checked >= recheck && time_left) {
      if (Status s = (*registry)->Poll(); !s.ok()) {
        log::Warn("sweep serve (lambda): model check failed, the old model keeps serving: " +
                  s.message());
      }
      checked = std::chrono::steady_clock::now();
    }
    const Reply r = Invoke(inv, o.name, router);
    Status posted =
        r.error_type.empty() ? api.Respond(inv.id, r.body) : api.Fail(inv.id, r.error_type, r.body);
    if (!posted.ok()) log::Warn("sweep serve (lambda): " + posted.message());
    if (o.access_log) {
      const std::chrono::duration<double, std::milli> ms = std::chrono::steady_clock::now() - start;
      LogLine(inv, r, ms.count(), **registry);
    }
  }
}

}  // namespace sweep::serve
