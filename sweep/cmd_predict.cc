// `sweep predict` and `sweep serve`: flags -> options -> RunPredict / RunServe
// (sweep/predict/predict.h, sweep/serve/serve.h).
#include <CLI/CLI.hpp>

#include "base/exit_code.h"
#include "base/log.h"
#include "sweep/commands.h"
#include "sweep/predict/predict.h"
#include "sweep/serve/serve.h"

namespace sweep {

void AddPredictCommand(CLI::App& app, int* exit_code) {
  auto o = std::make_shared<predict::PredictOptions>();
  CLI::App* cmd = app.add_subcommand(
      "predict", "Predict with a model.h5, a row or a sweep's best row: one line per input row");
  cmd->add_option("model", o->model, "model.h5, a row folder ROOT/INDEX, or a sweep root")
      ->required();
  cmd->add_option(
         "input", o->input,
         "Rows to predict: CSV, IDX, HDF5, s3://, gs://, or a {\"instances\": ...} .json file")
      ->required();
  cmd->add_option("--format", o->format, "table, csv or json")
      ->capture_default_str()
      ->check(CLI::IsMember({"table", "csv", "json"}));
  cmd->add_option("-o,--output", o->output, "Write the predictions to this file");
  cmd->add_option("--top", o->top, "Classes shown per row, most probable first")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--policy", o->policy, "For a sweep root: best, latest or index:N")
      ->capture_default_str();
  cmd->add_option("--threads", o->threads, "Threads (0 = the CPU quota)")
      ->capture_default_str()
      ->check(CLI::Range(0, 1024));
  cmd->callback([o, exit_code] {
    Status st = predict::RunPredict(*o);
    if (!st.ok()) log::Error("sweep predict: " + st.message());
    *exit_code = ToInt(ExitCodeFor(st));
  });
}

void AddServeCommand(CLI::App& app, int* exit_code) {
  auto o = std::make_shared<serve::ServeOptions>();
  auto no_log = std::make_shared<bool>(false);
  auto body_mb = std::make_shared<double>(8);
  CLI::App* cmd = app.add_subcommand(
      "serve",
      "Serve a model over HTTP: TF Serving REST, KServe V2 and Vertex AI routes (an AWS Lambda "
      "runtime when AWS_LAMBDA_RUNTIME_API is set)");
  cmd->add_option("model", o->model,
                  "model.h5, a row folder, or a sweep root (default: $AIP_STORAGE_URI)");
  cmd->add_option("--port", o->port, "TCP port, 0 = any free one ($AIP_HTTP_PORT wins)")
      ->capture_default_str()
      ->check(CLI::Range(0, 65535));
  cmd->add_option("--host", o->host, "Address to bind ($AIP_HTTP_PORT binds 0.0.0.0)")
      ->capture_default_str();
  cmd->add_option("--name", o->name, "Model name in the URLs (/v1/models/NAME)")
      ->capture_default_str();
  cmd->add_option("--policy", o->policy,
                  "best (the best row, moving to a better one), latest, or index:N")
      ->capture_default_str();
  cmd->add_option("--poll-seconds", o->poll_seconds,
                  "How often to look for a newer model (Lambda: at most this often)")
      ->capture_default_str();
  cmd->add_option("--threads", o->threads, "Server threads (0 = the CPU quota)")
      ->capture_default_str()
      ->check(CLI::Range(0, 1024));
  cmd->add_option("--max-body-mb", *body_mb, "Largest request body (413 past it)")
      ->capture_default_str()
      ->check(CLI::Range(0.001, 1024.0));
  cmd->add_option("--cors-origin", o->cors_origin,
                  "Send Access-Control-Allow-Origin with this value (e.g. '*')");
  cmd->add_flag("--no-access-log", *no_log, "No line per request on stderr");
  cmd->callback([o, no_log, body_mb, exit_code] {
    serve::ServeOptions options = *o;
    options.access_log = !*no_log;
    options.max_body_bytes = static_cast<size_t>(*body_mb * 1024 * 1024);
    options.version = SWEEP_VERSION;
    Status st = serve::RunServe(options);
    if (!st.ok()) log::Error("sweep serve: " + st.message());
    *exit_code = ToInt(ExitCodeFor(st));
  });
}

}  // namespace sweep
