#include "sweep/commands.h"

namespace sweep {
void AddRunCommand(CLI::App& app, int* exit_code) {}
}  // namespace sweep
