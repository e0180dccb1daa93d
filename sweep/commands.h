// The `sweep` subcommands. Each Add*Command declares its flags on `app` and a handler that
// fills an options struct and calls one library function; the handler's exit code is stored
// in `*exit_code`.
#pragma once

namespace CLI {
class App;
}

namespace sweep {

void AddExpandCommand(CLI::App& app, int* exit_code);   // expand, validate
void AddRunCommand(CLI::App& app, int* exit_code);      // run
void AddCollectCommand(CLI::App& app, int* exit_code);  // collect, status
void AddSubmitCommand(CLI::App& app, int* exit_code);   // submit
void AddKeysCommand(CLI::App& app, int* exit_code);     // keys
void AddPredictCommand(CLI::App& app, int* exit_code);  // predict
void AddServeCommand(CLI::App& app, int* exit_code);    // serve
void AddReportCommand(CLI::App& app, int* exit_code);   // report
void AddPlanCommand(CLI::App& app, int* exit_code);     // plan

}  // namespace sweep
