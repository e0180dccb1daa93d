#include "sweep/commands.h"

namespace sweep {
void AddSubmitCommand(CLI::App& app, int* exit_code) {}
}  // namespace sweep
