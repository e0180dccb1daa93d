// sweep-worker: the job-array child. Trains row {index} of a hyperparameter file and publishes
// {storage}/{index}/model/model.h5 and {storage}/{index}/result.json. See README.md.
#include <CLI/CLI.hpp>
#include <csignal>

#include "base/exit_code.h"
#include "base/log.h"
#include "worker/index.h"
#include "worker/worker.h"

namespace {

std::atomic<bool> g_stop{false};

void OnSignal(int) { g_stop.store(true); }

void InstallSignalHandlers() {
  struct sigaction sa {};
  sa.sa_handler = OnSignal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
}

const char* EnvOr(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? v : fallback;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "sweep-worker: train one row of a hyperparameter sweep and publish its model.\n"
      "Exit codes: 0 ok, 1 internal error, 2 bad input (do not retry), 75 transient (retry),\n"
      "143 stopped by SIGTERM (retry)."};
  app.set_version_flag("--version", SWEEP_VERSION);
  std::optional<int> index;
  sweep::worker::WorkerOptions options;
  options.params = EnvOr("SWEEP_PARAMS", "");
  options.storage = EnvOr("SWEEP_STORAGE", "/storage");
  app.add_option("--index", index,
                 "Row to train. Default: AWS_BATCH_JOB_ARRAY_INDEX, SLURM_ARRAY_TASK_ID, "
                 "JOB_COMPLETION_INDEX, BATCH_TASK_INDEX, SWEEP_INDEX (first set)");
  app.add_option("--params", options.params,
                 "Hyperparameter file, local or s3:// (env SWEEP_PARAMS)");
  app.add_option("--storage", options.storage,
                 "Results root, folder or s3://bucket/prefix (env SWEEP_STORAGE)")
      ->capture_default_str();
  app.add_option("--set", options.overrides, "Override a row key, e.g. --set epochs=1 (repeatable)")
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  app.add_option("--threads", options.threads,
                 "Training threads (default: the row's threads, else the CPU quota)")
      ->check(CLI::NonNegativeNumber);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : sweep::ToInt(sweep::ExitCode::kBadInput);
  }
  if (options.params.empty()) {
    sweep::log::Error("no hyperparameter file: pass --params FILE or set SWEEP_PARAMS");
    return sweep::ToInt(sweep::ExitCode::kBadInput);
  }
  auto env = sweep::worker::ProcessEnv();
  auto resolved = sweep::worker::ResolveIndex(index, env);
  if (!resolved.ok()) {
    sweep::log::Error(resolved.status().message());
    return sweep::ToInt(sweep::ExitCode::kBadInput);
  }
  options.index = *resolved;
  options.attempt = sweep::worker::ResolveAttempt(env);
  InstallSignalHandlers();
  sweep::Status status = sweep::worker::RunWorker(options, &g_stop);
  if (!status.ok()) sweep::log::Error(status.message());
  return sweep::ToInt(sweep::ExitCodeFor(status));
}
