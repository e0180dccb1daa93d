// sweep: expand, run, collect and submit hyperparameter sweeps. See README.md.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "base/strings.h"
#include "storage/model_isolated.h"
#include "sweep/commands.h"

namespace {

std::vector<std::string> CommandNames(CLI::App& app) {
  std::vector<std::string> names;
  for (const auto* sub : app.get_subcommands({})) names.push_back(sub->get_name());
  return names;
}

std::string Join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// `sweep help` and `sweep help CMD`: the program's or the command's --help.
int Help(CLI::App& app, int argc, char** argv) {
  if (argc < 3) {
    std::fputs(app.help().c_str(), stdout);
    return 0;
  }
  for (auto* sub : app.get_subcommands({})) {
    if (sub->get_name() == argv[2]) {
      std::fputs(sub->help("sweep").c_str(), stdout);
      return 0;
    }
  }
  std::fprintf(stderr, "sweep help: unknown command '%s'%s; the commands are: %s\n", argv[2],
               sweep::DidYouMean(argv[2], CommandNames(app)).c_str(),
               Join(CommandNames(app)).c_str());
  return 2;
}

// Options a command does not have ("--stoarge"): one line each with "did you mean", for the
// command that was given. False when the error is of another kind.
bool UnknownOptions(CLI::App& app, const CLI::ParseError& e) {
  if (dynamic_cast<const CLI::ExtrasError*>(&e) == nullptr) return false;
  const auto given = app.get_subcommands();
  CLI::App* cmd = given.empty() ? &app : given.back();
  std::vector<std::string> flags;
  for (const CLI::Option* opt : cmd->get_options()) {
    for (const std::string& name : opt->get_lnames()) flags.push_back("--" + name);
  }
  bool any = false;
  for (const std::string& extra : cmd->remaining()) {
    if (extra.rfind("--", 0) != 0) continue;
    const std::string flag = extra.substr(0, extra.find('='));
    std::fprintf(stderr, "sweep %s: unknown option '%s'%s (sweep help %s)\n",
                 cmd->get_name().c_str(), flag.c_str(), sweep::DidYouMean(flag, flags).c_str(),
                 cmd->get_name().c_str());
    any = true;
  }
  return any;
}

}  // namespace

int main(int argc, char** argv) {
  // This program also reads untrusted model.h5 files for itself in a child process.
  sweep::storage::RunModelReaderIfAsked(argc, argv);
  CLI::App app{"sweep: hyperparameter sweeps as job arrays (local, Slurm, AWS Batch, Kubernetes)"};
  app.set_version_flag("--version", SWEEP_VERSION);
  app.require_subcommand(1);
  int exit_code = 0;
  sweep::AddExpandCommand(app, &exit_code);
  sweep::AddRunCommand(app, &exit_code);
  sweep::AddCollectCommand(app, &exit_code);
  sweep::AddReportCommand(app, &exit_code);
  sweep::AddSubmitCommand(app, &exit_code);
  sweep::AddKeysCommand(app, &exit_code);
  sweep::AddPredictCommand(app, &exit_code);
  sweep::AddServeCommand(app, &exit_code);
  sweep::AddPlanCommand(app, &exit_code);
  if (argc > 1 && std::string_view(argv[1]) == "help") return Help(app, argc, argv);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (argc > 1 && argv[1][0] != '-' && app.get_subcommands().empty()) {
      std::fprintf(stderr, "sweep: unknown command '%s'%s; the commands are: %s (sweep help CMD)\n",
                   argv[1], sweep::DidYouMean(argv[1], CommandNames(app)).c_str(),
                   Join(CommandNames(app)).c_str());
      return 2;
    }
    if (UnknownOptions(app, e)) return 2;
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    // One line, as every other error: CLI11's own output adds "Run with --help ...".
    const auto given = app.get_subcommands();
    const std::string cmd = given.empty() ? "" : given.back()->get_name();
    std::fprintf(stderr, "error: sweep%s%s: %s (sweep help%s%s)\n", cmd.empty() ? "" : " ",
                 cmd.c_str(), e.what(), cmd.empty() ? "" : " ", cmd.c_str());
    return 2;
  }
  return exit_code;
}
