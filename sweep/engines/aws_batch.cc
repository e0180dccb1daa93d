#include "sweep/engines/aws_batch.h"

#include <memory>
#include <ostream>

#include "base/log.h"
#include "cloud/aws/batch_client.h"
#include "cloud/aws/credentials.h"
#include "sweep/results/scan.h"
#include "sweep/spec/plan.h"

namespace sweep {
namespace {

using nlohmann::json;

class AwsBatchEngine : public JobArrayEngine {
 public:
  const char* Name() const override { return "aws-batch"; }
  ArrayLimits Limits() const override { return BatchLimits(); }
  Status Submit(const ArraySubmission& job, std::ostream& out) const override;
};

Status AwsBatchEngine::Submit(const ArraySubmission& job, std::ostream& out) const {
  const SubmitOptions& o = job.options;
  const std::vector<ArrayPart>& parts = job.parts;
  const std::string& params = job.params;
  const std::string& storage = job.storage;
  const std::string& job_name = job.job_name;
  std::vector<std::string>* job_ids = job.job_ids;
  const std::string& rung = job.rung;
  std::vector<json> bodies = BatchSubmitBodies(o, parts, params, storage, job_name);
  for (json& body : bodies) AddRungToBody(job.rung, job.depends_on, &body);
  if (o.dry_run) {
    for (const json& body : bodies) {
      out << body.dump() << "\n";
      if (job.job_ids != nullptr)
        job.job_ids->push_back("<" + body["jobName"].get<std::string>() + ">");
    }
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
        << (part.plain ? "plain job" : "array of " + std::to_string(part.size))
        << (rung.empty() ? ", rows " : ", rung " + rung + " positions ")
        << FormatIndexRanges(part.rows) << ")\n";
    ids.push_back(job->job_id);
    if (job_ids != nullptr) job_ids->push_back(job->job_id);
  }
  std::string all;
  for (const auto& id : ids) all += (all.empty() ? "" : " ") + id;
  out << "watch: aws batch describe-jobs --region " << endpoint.region << " --jobs " << all
      << "\n       sweep status " << ShellQuote(storage)
      << "   (where the storage is mounted or reachable)\n";
  return Status::Ok();
}

}  // namespace

void AddRungToBody(const std::string& rung, const std::vector<std::string>& depends_on,
                   json* body) {
  if (!rung.empty()) {
    (*body)["containerOverrides"]["environment"].push_back(
        {{"name", "SWEEP_RUNG"}, {"value", rung}});
  }
  if (depends_on.empty()) return;
  json list = json::array();
  for (const auto& id : depends_on) list.push_back({{"jobId", id}});
  (*body)["dependsOn"] = list;
}

std::unique_ptr<JobArrayEngine> MakeAwsBatchEngine() { return std::make_unique<AwsBatchEngine>(); }

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

}  // namespace sweep
