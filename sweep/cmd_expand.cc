// `sweep expand` and `sweep validate`: show the rows a spec expands to; check them without
// training. Rows go to stdout (YAML, or a JSON array with --json; or the Vertex AI studySpec of
// a W&B-style spec with --vertex-study); the count line goes to stderr, so stdout stays
// parseable (`sweep expand s.yml --json | jq`).
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>

#include "base/exit_code.h"
#include "base/log.h"
#include "model/config.h"
#include "sweep/commands.h"
#include "sweep/search/halving.h"
#include "sweep/spec/row_config.h"
#include "sweep/spec/spec.h"

namespace sweep {
namespace {

struct ExpandOptions {
  std::string spec;
  std::vector<std::string> sets;
  bool json = false;
  bool vertex_study = false;
};

int Fail(const char* command, const Status& status) {
  std::fprintf(stderr, "sweep %s: %s\n", command, status.message().c_str());
  return ToInt(ExitCodeFor(status));
}

int RunExpand(const ExpandOptions& o) {
  StatusOr<Spec> spec = LoadSpec(o.spec, o.sets);
  if (!spec.ok()) return Fail("expand", spec.status());
  LogSpecWarnings(*spec);
  if (o.vertex_study) {
    StatusOr<nlohmann::json> study = VertexStudySpec(*spec);
    if (!study.ok()) return Fail("expand", study.status());
    std::printf("%s\n", study->dump(2).c_str());
    return 0;
  }
  const std::string out =
      o.json ? nlohmann::json(spec->rows).dump(2) + "\n" : RowsToYaml(spec->rows);
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
  std::fprintf(stderr, "%zu row%s (%s, hash %s)\n", spec->rows.size(),
               spec->rows.size() == 1 ? "" : "s", spec->form.c_str(), RowsHash(spec->rows).c_str());
  if (spec->bayes) {
    std::fprintf(stderr,
                 "bayes (TPE): %d rows in %d waves of %d; rows from %d on are random placeholders "
                 "that the waves' proposals replace\n",
                 spec->bayes->run_cap, spec->bayes->waves(), spec->bayes->wave_size,
                 spec->bayes->wave_size);
  }
  if (!spec->early_terminate) return 0;
  StatusOr<search::HalvingPlan> plan = search::MakeHalvingPlan(*spec);
  if (!plan.ok()) return Fail("expand", plan.status());
  for (const std::string& line : search::DescribeHalvingPlan(*plan)) {
    std::fprintf(stderr, "successive halving: %s\n", line.c_str());
  }
  return 0;
}

int RunValidate(const ExpandOptions& o) {
  StatusOr<Spec> spec = LoadSpec(o.spec, o.sets);
  if (!spec.ok()) return Fail("validate", spec.status());
  LogSpecWarnings(*spec);
  std::vector<std::string> problems = ValidateRows(spec->rows);
  for (std::string& p : CheckInputs(*spec)) problems.push_back(std::move(p));
  // Good rows that this build could not train: a warning, not a problem, since the workers that
  // train them may be another (CUDA) build.
  for (size_t i = 0; i < spec->rows.size(); ++i) {
    auto config = ConfigFromRow(spec->rows[i]);
    if (config.ok() && !model::CheckDeviceBuilt(config->device).ok()) {
      log::Warn(
          fmt::format("{}: row {}: device {}: this build has no CUDA; the workers' build must "
                      "have it",
                      spec->source, i, model::ToString(config->device)));
    }
  }
  for (const std::string& p : problems)
    std::fprintf(stderr, "%s: %s\n", spec->source.c_str(), p.c_str());
  if (!problems.empty()) {
    std::fprintf(stderr, "%zu problem%s in a spec of %zu row%s\n", problems.size(),
                 problems.size() == 1 ? "" : "s", spec->rows.size(),
                 spec->rows.size() == 1 ? "" : "s");
    return ToInt(ExitCode::kBadInput);
  }
  std::printf("%zu row%s OK\n", spec->rows.size(), spec->rows.size() == 1 ? "" : "s");
  return 0;
}

void AddSpecOptions(CLI::App* cmd, ExpandOptions* o) {
  cmd->add_option("spec", o->spec, "Spec file: local path, s3:// or gs:// URI")->required();
  cmd->add_option("--set", o->sets, "Override KEY=VALUE in every row (VALUE is YAML); repeatable")
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
}

}  // namespace

void AddExpandCommand(CLI::App& app, int* exit_code) {
  auto expand_opts = std::make_shared<ExpandOptions>();
  CLI::App* expand =
      app.add_subcommand("expand", "Print the rows a spec expands to (count and hash on stderr)");
  AddSpecOptions(expand, expand_opts.get());
  expand->add_flag("--json", expand_opts->json, "Print a JSON array instead of YAML");
  expand->add_flag("--vertex-study", expand_opts->vertex_study,
                   "Print a W&B-style spec's parameters and metric as a Vertex AI studySpec "
                   "(jobs/vertex/hyperparameter-tuning-job.json)");
  expand->callback([expand_opts, exit_code] { *exit_code = RunExpand(*expand_opts); });

  auto validate_opts = std::make_shared<ExpandOptions>();
  CLI::App* validate = app.add_subcommand(
      "validate", "Check every row's hyperparameters without training (exit 2 if any is bad)");
  AddSpecOptions(validate, validate_opts.get());
  validate->callback([validate_opts, exit_code] { *exit_code = RunValidate(*validate_opts); });
}

}  // namespace sweep
