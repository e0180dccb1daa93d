// `sweep submit`: flags only; the work is Submit() in sweep/engines/submit.h.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "base/exit_code.h"
#include "base/log.h"
#include "sweep/commands.h"
#include "sweep/engines/submit.h"
#include "sweep/spec/array_plan.h"

namespace sweep {

void AddSubmitCommand(CLI::App& app, int* exit_code) {
  auto* cmd = app.add_subcommand(
      "submit", "Run a sweep as job arrays on AWS Batch, Slurm or Kubernetes (one row per child)");
  struct Flags {
    SubmitOptions options;
    std::string engine = "aws-batch";
  };
  auto flags = std::make_shared<Flags>();
  SubmitOptions& o = flags->options;
  cmd->add_option("spec", o.spec, "Hyperparameter file: s3:// URI (aws-batch) or local path")
      ->required();
  cmd->add_option("--engine", flags->engine, "aws-batch, slurm or k8s")->capture_default_str();
  cmd->add_option("--storage", o.storage,
                  "Results root as the workers see it (default /storage for aws-batch and k8s; "
                  "required for slurm)");
  cmd->add_flag("--dry-run", o.dry_run,
                "Print the requests (aws-batch: SubmitJob JSON, one a line), sbatch commands or "
                "manifests; submit nothing");
  cmd->add_flag("--missing", o.missing, "Only rows without a result in --storage");
  cmd->add_flag("--failed", o.failed, "Only rows whose result in --storage says failed");
  cmd->add_flag("--replan", o.replan,
                "slurm: the spec changed: keep unchanged rows' results, move changed and removed "
                "rows' files to {storage}/history/");
  cmd->add_option("--job-name", o.job_name, "Job name (default sweep-<rows hash>)");
  cmd->add_option("--queue", o.queue, "aws-batch: job queue name or ARN");
  cmd->add_option("--job-definition", o.job_definition,
                  "aws-batch: job definition (name, name:revision or ARN)");
  cmd->add_option("--region", o.region, "aws-batch: region (default AWS_REGION, ~/.aws/config)");
  cmd->add_option("--pack", o.pack,
                  "Rows per array child, trained one after another in one worker process "
                  "(SWEEP_PACK): ceil(rows/K) children")
      ->check(CLI::Range(1, kMaxPack))
      ->capture_default_str();
  cmd->add_option("--max-parallel", o.max_parallel,
                  "slurm: tasks running at once (--array=...%P); k8s: parallelism")
      ->check(CLI::NonNegativeNumber);
  cmd->add_flag("--wait", o.wait, "slurm: wait for the arrays, then report the rows");
  cmd->add_option("--wait-timeout", o.wait_timeout_s, "slurm: give up waiting after SECONDS")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--sbatch-script", o.sbatch_script,
                  "slurm: batch script (default: the built-in jobs/slurm/sweep.sbatch)");
  cmd->add_option("--sbatch-arg", o.sbatch_args,
                  "slurm: extra sbatch argument, e.g. --sbatch-arg=--partition=gpu (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--worker", o.worker, "slurm: sweep-worker path on the nodes");
  cmd->add_option("--image", o.image, "k8s: worker image")->capture_default_str();
  cmd->add_option("--pvc", o.pvc, "k8s: ReadWriteMany claim mounted at /storage")
      ->capture_default_str();
  cmd->callback([flags, exit_code] {
    auto engine = ParseEngine(flags->engine);
    Status status = engine.status();
    if (engine.ok()) {
      flags->options.engine = *engine;
      status = Submit(flags->options, std::cout);
    }
    if (!status.ok()) log::Error("submit: " + status.message());
    *exit_code = ToInt(ExitCodeFor(status));
  });
}

}  // namespace sweep
