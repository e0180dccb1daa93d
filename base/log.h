// Minimal logging to stderr: one line per call, flushed, safe to call from several threads.
// Colour only when stderr is a terminal (never ANSI codes in files or CI logs).
//
// Progress lines (the worker's one line per epoch) go to stdout instead. On a terminal each is
// flushed at once; elsewhere (a log file, a pipe) they are written together at most every
// 0.5 s (the first at once; base/line_buffer.h), so thousands of short epochs cost a few
// write() calls instead of one each. Pending progress lines are written before any
// Info/Warn/Error line (a log holding both streams keeps their order), by FlushProgress(), at
// exit() or return from main, and before a failed SWEEP_CHECK aborts.
#pragma once

#include <string_view>

namespace sweep::log {

void Info(std::string_view line);
void Warn(std::string_view line);
void Error(std::string_view line);

// One progress line (a newline is added) to stdout, buffered as above.
void Progress(std::string_view line);
// Writes pending progress lines now.
void FlushProgress();

// True when the given stream (1 = stdout, 2 = stderr) is a terminal.
bool IsTerminal(int fd);

}  // namespace sweep::log
