#include "sweep/commands.h"

namespace sweep {
void AddExpandCommand(CLI::App& app, int* exit_code) {}
}  // namespace sweep
