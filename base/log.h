// Minimal logging to stderr: one line per call, flushed, safe to call from several threads.
// Colour only when stderr is a terminal (never ANSI codes in files or CI logs).
#pragma once

#include <string_view>

namespace sweep::log {

void Info(std::string_view line);
void Warn(std::string_view line);
void Error(std::string_view line);

// True when the given stream (1 = stdout, 2 = stderr) is a terminal.
bool IsTerminal(int fd);

}  // namespace sweep::log
