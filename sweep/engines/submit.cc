#include "sweep/engines/submit.h"

#include <algorithm>
#include <cctype>
#include <climits>
#include <cstdlib>
#include <fstream>
#include <ostream>
#include <sstream>

#include "base/file.h"
#include "base/log.h"
#include "base/strings.h"
#include "storage/layout.h"
#include "storage/store.h"
#include "cloud/aws/batch_client.h"
#include "sweep/results/scan.h"
#include "sweep/results/selection.h"
#include "sweep/engines/job_templates.h"
#include "sweep/spec/plan.h"
#include "sweep/spec/spec.h"
#include "sweep/engines/submit_slurm.h"

namespace sweep {
namespace {

using nlohmann::json;

constexpr const char* kDefaultStorage = "/storage";

const char* EngineName(Engine e) {
  switch (e) {
    case Engine::kAwsBatch:
      return "aws-batch";
    case Engine::kSlurm:
      return "slurm";
    case Engine::kK8s:
      return "k8s";
  }
  return "?";
}

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
  if (storage::IsS3Uri(o.spec) || o.engine != Engine::kSlurm) return o.spec;
  char* real = ::realpath(o.spec.c_str(), nullptr);
  std::string out = real != nullptr ? real : o.spec;
  std::free(real);
  return out;
}

std::string StorageFor(const SubmitOptions& o) {
  if (o.storage.empty()) return kDefaultStorage;
  if (storage::IsS3Uri(o.storage) || o.storage[0] == '/') return o.storage;
  char* cwd = ::getcwd(nullptr, 0);
  std::string out = cwd != nullptr ? std::string(cwd) + "/" + o.storage : o.storage;
  std::free(cwd);
  return out;
}

Status SubmitToBatch(const SubmitOptions& o, const std::vector<ArrayPart>& parts,
                     const std::string& params, const std::string& storage,
                     const std::string& job_name, std::ostream& out) {
  std::vector<json> bodies = BatchSubmitBodies(o, parts, params, storage, job_name);
  if (o.dry_run) {
    for (const json& body : bodies) out << body.dump() << "\n";
    log::Info("dry run: " + std::to_string(bodies.size()) +
              " SubmitJob request(s) printed, nothing sent");
    return Status::Ok();
  }
  SWEEP_ASSIGN_OR_RETURN(aws::BatchEndpoint endpoint, aws::ResolveBatchEndpoint(o.region));
  aws::BatchClient client(endpoint, std::make_shared<aws::CredentialProvider>());
  std::vector<std::string> ids;
  for (size_t i = 0; i < bodies.size(); ++i) {
    auto job = client.SubmitJob(bodies[i]);
    if (!job.ok()) {
      std::string done = ids.empty() ? "nothing was submitted"
                                     : std::to_string(ids.size()) + " of " +
                                           std::to_string(bodies.size()) + " parts were submitted";
      return job.status().WithContext(done);
    }
    const ArrayPart& part = parts[i];
    out << "submitted " << job->job_name << ": " << job->job_id << " ("
        << (part.plain ? "plain job" : "array of " + std::to_string(part.size)) << ", rows "
        << FormatIndexRanges(part.rows) << ")\n";
    ids.push_back(job->job_id);
  }
  std::string all;
  for (const auto& id : ids) all += (all.empty() ? "" : " ") + id;
  out << "watch: aws batch describe-jobs --region " << endpoint.region << " --jobs " << all
      << "\n       sweep status " << ShellQuote(storage)
      << "   (where the storage is mounted or reachable)\n";
  return Status::Ok();
}

Status SubmitToK8s(const SubmitOptions& o, const std::vector<ArrayPart>& parts,
                   const std::string& params, const std::string& storage,
                   const std::string& job_name, std::ostream& out) {
  if (!storage::IsS3Uri(params)) {
    log::Warn("'" + params +
              "': pods read the spec at this path; it must exist in the image "
              "or on the volume (or pass an s3:// URI)");
  }
  SWEEP_ASSIGN_OR_RETURN(std::string text, RenderK8sJobs(o, parts, params, storage, job_name));
  out << text;
  log::Info("dry run: " + std::to_string(parts.size()) +
            " Indexed Job manifest(s) printed; apply with: kubectl apply -f -");
  return Status::Ok();
}

bool IsDnsLabel(const std::string& s) {
  if (s.empty() || s.size() > 63 || s.front() == '-' || s.back() == '-') return false;
  return std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return std::islower(c) || std::isdigit(c) || c == '-';
  });
}

// A value placed inside a double-quoted YAML scalar: no quotes, backslashes or control chars.
bool YamlQuotable(const std::string& s) {
  return std::none_of(s.begin(), s.end(),
                      [](unsigned char c) { return c == '"' || c == '\\' || c < 0x20; });
}

std::string ReplaceAll(std::string text, const std::string& from, const std::string& to) {
  for (size_t pos = text.find(from); pos != std::string::npos;
       pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
  return text;
}

}  // namespace

StatusOr<Engine> ParseEngine(const std::string& name) {
  if (name == "aws-batch" || name == "batch") return Engine::kAwsBatch;
  if (name == "slurm") return Engine::kSlurm;
  if (name == "k8s" || name == "kubernetes") return Engine::kK8s;
  return Status::InvalidArgument("unknown engine '" + name + "'" +
                                 DidYouMean(name, {"aws-batch", "slurm", "k8s"}) +
                                 ": use aws-batch, slurm or k8s");
}

std::string PartJobName(const std::string& base, int index, int parts) {
  return parts > 1 ? base + "-" + std::to_string(index) : base;
}

std::vector<json> BatchSubmitBodies(const SubmitOptions& options,
                                    const std::vector<ArrayPart>& parts, const std::string& params,
                                    const std::string& storage, const std::string& job_name) {
  std::vector<json> bodies;
  for (size_t i = 0; i < parts.size(); ++i) {
    aws::SubmitJobInput in;
    in.job_name = PartJobName(job_name, static_cast<int>(i), static_cast<int>(parts.size()));
    in.job_queue = options.queue;
    in.job_definition = options.job_definition;
    in.array_size = parts[i].plain ? 0 : parts[i].size;
    in.environment = {{"SWEEP_PARAMS", params}, {"SWEEP_STORAGE", storage}};
    for (auto& kv : parts[i].Env()) in.environment.push_back(kv);
    bodies.push_back(aws::SubmitJobBody(in));
  }
  return bodies;
}

std::string SlurmArraySpec(const ArrayPart& part, int max_parallel) {
  std::string spec = "0-" + std::to_string(part.size - 1);
  if (max_parallel > 0) spec += "%" + std::to_string(max_parallel);
  return spec;
}

StatusOr<std::string> RenderK8sJobs(const SubmitOptions& options,
                                    const std::vector<ArrayPart>& parts, const std::string& params,
                                    const std::string& storage, const std::string& job_name) {
  for (const std::string* v : {&params, &storage, &options.image, &options.pvc}) {
    if (!YamlQuotable(*v)) {
      return Status::InvalidArgument("'" + *v +
                                     "': quotes, backslashes and control characters "
                                     "cannot go into the manifest");
    }
  }
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    const ArrayPart& part = parts[i];
    std::string name = PartJobName(job_name, static_cast<int>(i), static_cast<int>(parts.size()));
    if (!IsDnsLabel(name)) {
      return Status::InvalidArgument("job name '" + name +
                                     "': Kubernetes needs a DNS label "
                                     "(lowercase letters, digits, '-', at most 63)");
    }
    int parallelism =
        options.max_parallel > 0 ? std::min(options.max_parallel, part.size) : part.size;
    std::string text = kK8sIndexedJob;
    text = ReplaceAll(text, "${NAME}", name);
    text = ReplaceAll(text, "${COMPLETIONS}", std::to_string(part.size));
    text = ReplaceAll(text, "${PARALLELISM}", std::to_string(parallelism));
    text = ReplaceAll(text, "${IMAGE}", options.image);
    text = ReplaceAll(text, "${PARAMS}", params);
    text = ReplaceAll(text, "${STORAGE}", storage);
    text = ReplaceAll(text, "${INDEX_OFFSET}", std::to_string(part.map.empty() ? part.offset : 0));
    text = ReplaceAll(text, "${INDEX_MAP}", FormatIndexMap(part.map));
    text = ReplaceAll(text, "${PVC}", options.pvc);
    if (i > 0) out += "---\n";
    out += text;
  }
  return out;
}

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
  SWEEP_ASSIGN_OR_RETURN(std::vector<int> rows, RowsToSubmit(resolved, count));
  if (rows.empty()) {
    log::Info("nothing to submit: no " +
              std::string(o.missing && o.failed ? "missing or failed"
                          : o.missing           ? "missing"
                                                : "failed") +
              " rows in " + storage);
    return Status::Ok();
  }
  ArrayLimits limits = BatchLimits();
  if (o.engine == Engine::kK8s) limits = K8sLimits();
  if (o.engine == Engine::kSlurm) limits = SlurmLimits(QuerySlurmMaxArraySize());
  SWEEP_ASSIGN_OR_RETURN(std::vector<ArrayPart> parts, PlanRows(rows, limits));
  log::Info(std::string(EngineName(o.engine)) + ": " + std::to_string(rows.size()) + " of " +
            std::to_string(count) + " rows of " + o.spec + " in " + std::to_string(parts.size()) +
            " part(s), job name " + job_name);

  if (o.engine == Engine::kAwsBatch) return SubmitToBatch(o, parts, params, storage, job_name, out);
  if (o.engine == Engine::kK8s) return SubmitToK8s(o, parts, params, storage, job_name, out);

  // Slurm: the storage is shared with the tasks, so pin the plan there first (refuses a storage
  // that holds another sweep) and the log folder must exist before sbatch.
  if (!o.dry_run) {
    SWEEP_ASSIGN_OR_RETURN(auto store, storage::OpenStore(storage));
    SWEEP_RETURN_IF_ERROR(store->CheckWritable());
    std::string spec_text;  // the plan's hash covers the file as the tasks will read it
    if (!storage::IsS3Uri(o.spec)) SWEEP_RETURN_IF_ERROR(ReadFile(params, &spec_text));
    Plan plan = MakePlan(spec, spec_text, {});
    plan.engine = "slurm";
    SWEEP_RETURN_IF_ERROR(WritePlanOnce(*store, plan));
  }
  SlurmRun run{resolved, parts, params, storage, job_name};
  return SubmitToSlurm(run, count, out);
}

}  // namespace sweep
