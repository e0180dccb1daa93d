// sweep: expand, run, collect and submit hyperparameter sweeps. See README.md.
#include <CLI/CLI.hpp>

#include "base/strings.h"
#include "sweep/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"sweep: hyperparameter sweeps as job arrays (local, Slurm, AWS Batch, Kubernetes)"};
  app.set_version_flag("--version", SWEEP_VERSION);
  app.require_subcommand(1);
  int exit_code = 0;
  sweep::AddExpandCommand(app, &exit_code);
  sweep::AddRunCommand(app, &exit_code);
  sweep::AddCollectCommand(app, &exit_code);
  sweep::AddSubmitCommand(app, &exit_code);
  sweep::AddKeysCommand(app, &exit_code);
  sweep::AddPredictCommand(app, &exit_code);
  sweep::AddServeCommand(app, &exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (argc > 1 && argv[1][0] != '-' && app.get_subcommands().empty()) {
      std::vector<std::string> names;
      for (const auto* sub : app.get_subcommands({})) names.push_back(sub->get_name());
      std::string hint = sweep::DidYouMean(argv[1], names);
      if (!hint.empty()) {
        std::fprintf(stderr, "sweep: unknown command '%s'%s\n", argv[1], hint.c_str());
        return 2;
      }
    }
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  return exit_code;
}
