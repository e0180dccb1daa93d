// sweep-worker: the job-array child. Trains row {index} of a hyperparameter file and publishes
// {storage}/{index}/model/model.h5 and {storage}/{index}/result.json. See README.md.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdlib>

#include "base/exit_code.h"
#include "base/log.h"
#include "base/strings.h"
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

// Every environment variable the worker reads (tests/worker_help_env_test.sh checks the list
// against the sources).
constexpr const char* kEnvironmentHelp = R"(Environment:
  Row index (first set wins): AWS_BATCH_JOB_ARRAY_INDEX (AWS Batch), SLURM_ARRAY_TASK_ID (Slurm),
    JOB_COMPLETION_INDEX (Kubernetes Indexed Job), BATCH_TASK_INDEX (GCP Batch), SWEEP_INDEX;
    then SWEEP_INDEX_MAP (comma-separated rows: the index picks one) or SWEEP_INDEX_OFFSET
    (added to it) gives the row.
  Attempt: AWS_BATCH_JOB_ATTEMPT (1-based), SLURM_RESTART_COUNT (0-based).
  SWEEP_PARAMS, SWEEP_STORAGE  defaults of --params and --storage.
  SWEEP_THREADS                training threads when the row and --threads say nothing.
  SWEEP_PACK                   K (default of --pack): train rows K*i .. K*i+K-1 in one process.
  SWEEP_INDEX_COUNT            rows in this array part (`sweep submit --pack` sets it): slots at
                               or past it belong to another part and are not trained.
  SWEEP_RUNG                   BRACKET-RUNG: a child of a successive-halving rung of a spec
                               with early_terminate; the index is a position in the rung.
  SWEEP_CACHE_DIR              cache of s3:// and gs:// inputs (else XDG_CACHE_HOME/sweep, else
                               HOME/.cache/sweep).
  SWEEP_SPOT_NOTICE            seconds: poll EC2's Spot interruption notice (IMDSv2) this often
                               and save a checkpoint as soon as one appears (default: off).
  AWS (s3:// inputs and storage), as the AWS SDKs read them:
    AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_PROFILE,
    AWS_DEFAULT_PROFILE, AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, AWS_REGION,
    AWS_DEFAULT_REGION, AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL_STS,
    AWS_ENDPOINT_URL_SSO, AWS_ENDPOINT_URL_SSO_OIDC, AWS_ENDPOINT_URL_BATCH,
    AWS_S3_FORCE_PATH_STYLE, AWS_ROLE_ARN, AWS_ROLE_SESSION_NAME, AWS_WEB_IDENTITY_TOKEN_FILE,
    AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, AWS_CONTAINER_CREDENTIALS_FULL_URI,
    AWS_CONTAINER_AUTHORIZATION_TOKEN, AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE,
    AWS_EC2_METADATA_DISABLED, AWS_EC2_METADATA_SERVICE_ENDPOINT.
  Vertex AI custom training: AIP_MODEL_DIR (model.h5 and result.json exported there, flat),
    AIP_CHECKPOINT_DIR (the row's checkpoints), CLOUD_ML_TRIAL_ID (a tuning trial: its
    --name=value / --name value flags override row keys; the row is --index or an index
    variable, else 0), CLOUD_ML_HP_METRIC_FILE (where the trial's metric goes, default
    /tmp/hypertune/output.metrics), SWEEP_HYPERTUNE_METRIC (which result.json metric, default
    val_accuracy, train_accuracy, val_loss, train_loss: the first there; also its tag).
  Google Cloud (gs:// inputs and storage), in the order Google's client libraries use:
    GOOGLE_APPLICATION_CREDENTIALS (a service_account or authorized_user key file), then
    CLOUDSDK_CONFIG/application_default_credentials.json (else ~/.config/gcloud/...), then the
    metadata server at GCE_METADATA_HOST (default metadata.google.internal);
    STORAGE_EMULATOR_HOST points gs:// at an emulator (no credentials unless a key file is set).)";

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "sweep-worker: train one row of a hyperparameter sweep and publish its model.\n"
      "Exit codes: 0 ok, 1 internal error, 2 bad input (do not retry), 75 transient (retry),\n"
      "143 stopped by SIGTERM (retry)."};
  app.set_version_flag("--version", SWEEP_VERSION);
  app.footer(kEnvironmentHelp);
  std::optional<int> index;
  sweep::worker::WorkerOptions options;
  auto env = sweep::worker::ProcessEnv();
  options.vertex = sweep::worker::VertexFromEnv(env);
  const bool trial = !options.vertex.trial_id.empty();
  if (trial) app.allow_extras();  // the tuning service's --name=value parameter flags
  options.params = EnvOr("SWEEP_PARAMS", "");
  options.storage = EnvOr("SWEEP_STORAGE", "/storage");
  app.add_option("--index", index,
                 "Row to train. Default: AWS_BATCH_JOB_ARRAY_INDEX, SLURM_ARRAY_TASK_ID, "
                 "JOB_COMPLETION_INDEX, BATCH_TASK_INDEX, SWEEP_INDEX (first set)");
  app.add_option("--params", options.params,
                 "Hyperparameter file, local, s3:// or gs:// (env SWEEP_PARAMS)");
  app.add_option("--storage", options.storage,
                 "Results root: folder, s3:// or gs://bucket/prefix (env SWEEP_STORAGE)")
      ->capture_default_str();
  app.add_option("--set", options.overrides, "Override a row key, e.g. --set epochs=1 (repeatable)")
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  app.add_option("--threads", options.threads,
                 "Training threads (default: the row's threads, else the CPU quota)")
      ->check(CLI::NonNegativeNumber);
  int pack = 1;
  if (auto v = env("SWEEP_PACK")) {
    std::optional<int64_t> k = sweep::ParseInt(*v, 1, sweep::kMaxPack);
    if (!k) {
      sweep::log::Error(fmt::format("SWEEP_PACK='{}': expected 1..{}", *v, sweep::kMaxPack));
      return sweep::ToInt(sweep::ExitCode::kBadInput);
    }
    pack = static_cast<int>(*k);
  }
  app.add_option("--pack", pack,
                 "Packed rows: array child i trains rows K*i .. K*i+K-1 one after another in one "
                 "process (spec, storage and data read once; each row published as usual; "
                 "rows already published skipped) (env SWEEP_PACK)")
      ->check(CLI::Range(1, sweep::kMaxPack))
      ->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : sweep::ToInt(sweep::ExitCode::kBadInput);
  }
  if (trial) {
    auto flags = sweep::worker::TrialOverrides(app.remaining());
    if (!flags.ok()) {
      sweep::log::Error(flags.status().message());
      return sweep::ToInt(sweep::ExitCode::kBadInput);
    }
    options.overrides.insert(options.overrides.end(), flags->begin(), flags->end());
    // A trial is not an array child: without an index variable it trains row 0.
    env = [process = env](const std::string& name) {
      auto v = process(name);
      return !v && name == "SWEEP_INDEX" ? std::optional<std::string>("0") : v;
    };
  }
  if (options.params.empty()) {
    sweep::log::Error("no hyperparameter file: pass --params FILE or set SWEEP_PARAMS");
    return sweep::ToInt(sweep::ExitCode::kBadInput);
  }
  if (trial && pack > 1) {
    sweep::log::Error("a Vertex AI tuning trial trains one row: --pack/SWEEP_PACK must be 1");
    return sweep::ToInt(sweep::ExitCode::kBadInput);
  }
  auto resolved = sweep::worker::ResolvePackIndices(index, env, pack);
  if (!resolved.ok()) {
    sweep::log::Error(resolved.status().message());
    return sweep::ToInt(sweep::ExitCode::kBadInput);
  }
  options.index = resolved->front();
  if (trial) {  // trials publish side by side under their id; the row is the one resolved above
    std::optional<int64_t> id = sweep::ParseInt(options.vertex.trial_id, 0, 1 << 30);
    if (!id) {
      sweep::log::Error("CLOUD_ML_TRIAL_ID='" + options.vertex.trial_id +
                        "': expected a non-negative integer");
      return sweep::ToInt(sweep::ExitCode::kBadInput);
    }
    options.row = options.index;
    options.index = static_cast<int>(*id);
  }
  options.attempt = sweep::worker::ResolveAttempt(env);
  if (const char* spot = std::getenv("SWEEP_SPOT_NOTICE"); spot != nullptr && *spot != '\0') {
    char* end = nullptr;
    options.spot_notice_s = std::strtod(spot, &end);
    if (*end != '\0' || !(options.spot_notice_s >= 0 && options.spot_notice_s <= 3600)) {
      sweep::log::Error(std::string("SWEEP_SPOT_NOTICE: expected seconds in [0, 3600], got '") +
                        spot + "'");
      return sweep::ToInt(sweep::ExitCode::kBadInput);
    }
  }
  options.rung = EnvOr("SWEEP_RUNG", "");
  InstallSignalHandlers();
  sweep::Status status = pack > 1 ? sweep::worker::RunPack(options, *resolved, &g_stop)
                                  : sweep::worker::RunWorker(options, &g_stop);
  if (!status.ok()) sweep::log::Error(status.message());
  return sweep::ToInt(sweep::ExitCodeFor(status));
}
