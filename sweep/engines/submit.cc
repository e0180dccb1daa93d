#include "sweep/engines/submit.h"

#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <ostream>

#include "base/log.h"
#include "base/strings.h"
#include "cloud/aws/batch_client.h"
#include "storage/layout.h"
#include "sweep/engines/engine.h"
#include "sweep/engines/halving_submit.h"
#include "sweep/engines/slurm.h"
#include "sweep/results/scan.h"
#include "sweep/results/selection.h"
#include "sweep/spec/plan.h"
#include "sweep/spec/spec.h"

namespace sweep {
namespace {

using nlohmann::json;

constexpr const char* kDefaultStorage = "/storage";

// Options that do not depend on the spec, checked before anything is read.
Status CheckOptions(const SubmitOptions& o) {
  if (o.engine == Engine::kAwsBatch) {
    if (o.queue.empty()) return Status::InvalidArgument("--engine aws-batch needs --queue");
    if (o.job_definition.empty()) {
      return Status::InvalidArgument("--engine aws-batch needs --job-definition");
    }
    if (!storage::IsS3Uri(o.spec)) {
      if (!o.dry_run) {
        return Status::InvalidArgument(
            "'" + o.spec +
            "': AWS Batch workers read the spec from S3: upload it and pass its "
            "s3:// URI (a local spec is accepted with --dry-run only)");
      }
      log::Warn("'" + o.spec +
                "' is a local file: Batch workers cannot read it; submit its "
                "s3:// URI for real (dry run goes on)");
    }
  }
  if (o.engine == Engine::kSlurm && o.storage.empty()) {
    return Status::InvalidArgument(
        "--engine slurm needs --storage ROOT (a folder on the shared file system or s3://)");
  }
  if (o.engine == Engine::kK8s && !o.dry_run) {
    return Status::InvalidArgument(
        "--engine k8s only renders manifests: add --dry-run and pipe them to `kubectl apply -f -`");
  }
  if (o.engine != Engine::kSlurm && o.replan) {
    return Status::InvalidArgument(
        "--replan is for --engine slurm and `sweep run` (the storages with a plan)");
  }
  if (o.engine != Engine::kSlurm && o.wait) {
    return Status::InvalidArgument("--wait is for --engine slurm (Batch: aws batch describe-jobs)");
  }
  if (o.max_parallel < 0) return Status::InvalidArgument("--max-parallel must be >= 0");
  return Status::Ok();
}

// The rows to submit: all, or those --missing / --failed in the storage root (the same
// selection as `sweep run`'s, sweep/results/selection).
StatusOr<std::vector<int>> RowsToSubmit(const SubmitOptions& o, int count) {
  std::vector<int> rows;
  if (!o.missing && !o.failed) {
    rows.resize(count);
    for (int i = 0; i < count; ++i) rows[i] = i;
    return rows;
  }
  ScanOptions scan_options;
  scan_options.expected = count;
  auto scan = ScanStorage(o.storage, scan_options);
  if (!scan.ok()) {
    return scan.status().WithContext("--missing/--failed read the results in " + o.storage);
  }
  std::vector<RowState> states;
  for (int i = 0; i < count && i < static_cast<int>(scan->rows.size()); ++i) {
    states.push_back(scan->rows[i].state);
  }
  return SelectRows(states, SelectFlags{{}, o.missing, o.failed, false}).run;
}

// The spec as the workers will see it: an s3:// URI as is, a local file made absolute (Slurm
// tasks run elsewhere on the shared file system).
std::string ParamsFor(const SubmitOptions& o) {
  if (storage::IsRemoteUri(o.spec) || o.engine != Engine::kSlurm) return o.spec;
  char* real = ::realpath(o.spec.c_str(), nullptr);
  std::string out = real != nullptr ? real : o.spec;
  std::free(real);
  return out;
}

std::string StorageFor(const SubmitOptions& o) {
  if (o.storage.empty()) return kDefaultStorage;
  if (storage::IsRemoteUri(o.storage) || o.storage[0] == '/') return o.storage;
  char* cwd = ::getcwd(nullptr, 0);
  std::string out = cwd != nullptr ? std::string(cwd) + "/" + o.storage : o.storage;
  std::free(cwd);
  return out;
}

}  // namespace

Status Submit(const SubmitOptions& o, std::ostream& out) {
  SWEEP_RETURN_IF_ERROR(CheckOptions(o));
  SWEEP_ASSIGN_OR_RETURN(Spec spec, LoadSpec(o.spec, {}));
  LogSpecWarnings(spec);
  const int count = static_cast<int>(spec.rows.size());
  if (count == 0) return Status::InvalidArgument(o.spec + ": the spec has no rows");
  const std::string rows_hash = RowsHash(spec.rows);
  const std::string job_name = o.job_name.empty() ? "sweep-" + rows_hash.substr(0, 8) : o.job_name;
  if (o.engine != Engine::kK8s) SWEEP_RETURN_IF_ERROR(aws::CheckJobName(job_name));
  const std::string params = ParamsFor(o);
  const std::string storage = StorageFor(o);

  SubmitOptions resolved = o;
  resolved.storage = storage;
  // Pinned before the selection: a replan moves changed rows' results aside, and --missing
  // must then see those rows as missing.
  if (o.engine == Engine::kSlurm && !o.dry_run) {
    SWEEP_RETURN_IF_ERROR(PinSlurmPlan(storage, params, spec, o.replan));
  }
  if (spec.early_terminate) return SubmitHalving(resolved, spec, params, job_name, out);
  if (spec.bayes) return SubmitWaves(resolved, spec, params, job_name, out);
  SWEEP_ASSIGN_OR_RETURN(std::vector<int> rows, RowsToSubmit(resolved, count));
  if (rows.empty()) {
    log::Info("nothing to submit: no " +
              std::string(o.missing && o.failed ? "missing or failed"
                          : o.missing           ? "missing"
                                                : "failed") +
              " rows in " + storage);
    return Status::Ok();
  }
  std::unique_ptr<JobArrayEngine> engine = MakeEngine(o.engine);
  SWEEP_ASSIGN_OR_RETURN(std::vector<ArrayPart> parts, PlanRows(rows, engine->Limits(), o.pack));
  log::Info(std::string(engine->Name()) + ": " + std::to_string(rows.size()) + " of " +
            std::to_string(count) + " rows of " + o.spec + " in " + std::to_string(parts.size()) +
            " part(s), job name " + job_name);
  return engine->Submit(ArraySubmission{resolved, spec, parts, params, storage, job_name, count},
                        out);
}

}  // namespace sweep
