#include "sweep/engines/halving_submit.h"

#include <algorithm>
#include <ostream>
#include <vector>

#include "base/log.h"
#include "base/strings.h"
#include "storage/layout.h"
#include "storage/result.h"
#include "storage/store.h"
#include "sweep/engines/slurm.h"
#include "sweep/search/halving.h"
#include "sweep/search/rung_decision.h"

namespace sweep {
namespace {

Status CheckHalvingOptions(const SubmitOptions& o) {
  if (o.engine == Engine::kK8s) {
    return Status::InvalidArgument(
        "early_terminate and method: bayes: Kubernetes has no dependencies between Jobs, so the "
        "rungs or waves cannot be queued at once; use `sweep run`, or --engine slurm / aws-batch");
  }
  if (o.missing || o.failed) {
    return Status::InvalidArgument(
        "--missing/--failed do not apply to early_terminate or method: bayes: the rungs and "
        "waves decide which rows run; submitting again redoes only what has no record");
  }
  return Status::Ok();
}

// After --wait: the promotions as `sweep plan --check` sees them, and the final rows.
Status ReportHalving(const SubmitOptions& o, const search::HalvingPlan& plan, std::ostream& out) {
  SWEEP_ASSIGN_OR_RETURN(auto store, storage::OpenStore(o.storage));
  SWEEP_ASSIGN_OR_RETURN(search::DecisionCheck check, search::CheckDecisions(*store, plan));
  for (const std::string& line : check.lines) out << line << "\n";
  std::vector<int> finals, not_ok;
  for (size_t b = 0; b < plan.brackets.size(); ++b) {
    const int last = static_cast<int>(plan.brackets[b].rungs.size()) - 1;
    SWEEP_ASSIGN_OR_RETURN(std::vector<int> rows, search::RungRows(*store, plan, b, last));
    for (int row : rows) {
      finals.push_back(row);
      StatusOr<std::string> text = store->Get(storage::ResultPath("", row));
      StatusOr<storage::RunResult> r =
          text.ok() ? storage::ParseResult(*text) : StatusOr<storage::RunResult>(text.status());
      if (!r.ok() || !r->succeeded()) not_ok.push_back(row);
    }
  }
  out << "done: " << finals.size() - not_ok.size() << " of " << finals.size()
      << " final rows succeeded (rows " << FormatIndexRanges(finals) << ")\n";
  if (!check.problems.empty()) {
    return Status::Corruption(std::to_string(check.problems.size()) + " promotion(s) differ");
  }
  if (not_ok.empty()) return Status::Ok();
  return Status::Unavailable(std::to_string(not_ok.size()) + " final row(s) did not succeed (" +
                             FormatIndexRanges(not_ok) + "): see sweep status " + o.storage);
}

}  // namespace

Status SubmitWaves(const SubmitOptions& o, const Spec& spec, const std::string& params,
                   const std::string& job_name, std::ostream& out) {
  SWEEP_RETURN_IF_ERROR(CheckHalvingOptions(o));
  const BayesSearch& b = *spec.bayes;
  std::unique_ptr<JobArrayEngine> engine = MakeEngine(o.engine);
  SubmitOptions each = o;
  each.wait = false;
  std::vector<std::string> before, all_ids;
  for (int w = 0; w < b.waves(); ++w) {
    std::vector<int> rows;
    for (int i = w * b.wave_size; i < std::min(b.run_cap, (w + 1) * b.wave_size); ++i) {
      rows.push_back(i);
    }
    SWEEP_ASSIGN_OR_RETURN(std::vector<ArrayPart> parts, PlanRows(rows, engine->Limits(), o.pack));
    std::vector<std::string> ids;
    ArraySubmission job{each,
                        spec,
                        parts,
                        params,
                        o.storage,
                        job_name + "-w" + std::to_string(w),
                        static_cast<int>(spec.rows.size())};
    job.depends_on = before;
    job.job_ids = &ids;
    SWEEP_RETURN_IF_ERROR(engine->Submit(job, out).WithContext("wave " + std::to_string(w)));
    all_ids.insert(all_ids.end(), ids.begin(), ids.end());
    before = std::move(ids);
  }
  if (!o.wait || o.dry_run) return Status::Ok();
  return WaitForSlurmJobs(all_ids, o.wait_timeout_s);
}

Status SubmitHalving(const SubmitOptions& o, const Spec& spec, const std::string& params,
                     const std::string& job_name, std::ostream& out) {
  SWEEP_RETURN_IF_ERROR(CheckHalvingOptions(o));
  SWEEP_ASSIGN_OR_RETURN(search::HalvingPlan plan, search::MakeHalvingPlan(spec));
  for (const std::string& line : search::DescribeHalvingPlan(plan)) {
    log::Info("successive halving: " + line);
  }
  std::unique_ptr<JobArrayEngine> engine = MakeEngine(o.engine);
  SubmitOptions each = o;
  each.wait = false;  // every rung is queued now; --wait waits for them all below
  std::vector<std::string> all_ids;
  for (const search::HalvingBracket& bracket : plan.brackets) {
    std::vector<std::string> before;
    for (const search::HalvingRung& rung : bracket.rungs) {
      const std::string name =
          job_name + "-r" + std::to_string(rung.bracket) + "-" + std::to_string(rung.rung);
      std::vector<ArrayPart> parts = PlanAllRows(rung.size, engine->Limits(), o.pack);
      std::vector<std::string> ids;
      ArraySubmission job{
          each, spec, parts, params, o.storage, name, static_cast<int>(spec.rows.size())};
      job.rung = std::to_string(rung.bracket) + "-" + std::to_string(rung.rung);
      job.depends_on = before;
      job.job_ids = &ids;
      SWEEP_RETURN_IF_ERROR(engine->Submit(job, out).WithContext("rung " + job.rung + " (" +
                                                                 std::to_string(all_ids.size()) +
                                                                 " arrays submitted before)"));
      all_ids.insert(all_ids.end(), ids.begin(), ids.end());
      before = std::move(ids);
    }
  }
  if (!o.wait || o.dry_run) return Status::Ok();
  SWEEP_RETURN_IF_ERROR(WaitForSlurmJobs(all_ids, o.wait_timeout_s));
  return ReportHalving(o, plan, out);
}

}  // namespace sweep
