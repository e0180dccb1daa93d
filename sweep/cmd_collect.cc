#include "sweep/commands.h"

namespace sweep {
void AddCollectCommand(CLI::App& app, int* exit_code) {}
}  // namespace sweep
