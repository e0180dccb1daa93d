#include "sweep/engines/k8s.h"

#include <algorithm>
#include <cctype>
#include <memory>
#include <ostream>

#include "base/log.h"
#include "storage/layout.h"
#include "sweep/engines/job_templates.h"

namespace sweep {
namespace {

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

class K8sEngine : public JobArrayEngine {
 public:
  const char* Name() const override { return "k8s"; }
  ArrayLimits Limits() const override { return K8sLimits(); }
  Status Submit(const ArraySubmission& job, std::ostream& out) const override;
};

Status K8sEngine::Submit(const ArraySubmission& job, std::ostream& out) const {
  const SubmitOptions& o = job.options;
  const std::vector<ArrayPart>& parts = job.parts;
  const std::string& params = job.params;
  const std::string& storage = job.storage;
  const std::string& job_name = job.job_name;
  if (!storage::IsRemoteUri(params)) {
    log::Warn("'" + params +
              "': pods read the spec at this path; it must exist in the image "
              "or on the volume (or pass an s3:// or gs:// URI)");
  }
  SWEEP_ASSIGN_OR_RETURN(std::string text, RenderK8sJobs(o, parts, params, storage, job_name));
  out << text;
  log::Info("dry run: " + std::to_string(parts.size()) +
            " Indexed Job manifest(s) printed; apply with: kubectl apply -f -");
  return Status::Ok();
}

}  // namespace

std::unique_ptr<JobArrayEngine> MakeK8sEngine() { return std::make_unique<K8sEngine>(); }

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
    text = ReplaceAll(text, "${PACK}", std::to_string(part.pack));
    text = ReplaceAll(text, "${INDEX_COUNT}", std::to_string(part.rows.size()));
    text = ReplaceAll(text, "${PVC}", options.pvc);
    if (i > 0) out += "---\n";
    out += text;
  }
  return out;
}

}  // namespace sweep
