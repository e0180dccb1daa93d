#include "base/log.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>

#include "base/line_buffer.h"

namespace sweep::log {
namespace {

constexpr double kProgressInterval = 0.5;  // seconds; see log.h

std::mutex& Mutex() {
  static std::mutex m;
  return m;
}

double NowSeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Requires: Mutex() held. Created on first use; flushed at exit.
LineBuffer& ProgressBuffer() {
  static LineBuffer* buffer = [] {
    // Never destroyed: the atexit flush may run after static destructors of other files.
    auto* b = new LineBuffer(stdout, IsTerminal(1), kProgressInterval, NowSeconds);
    std::atexit(FlushProgress);
    return b;
  }();
  return *buffer;
}

void Write(std::string_view prefix, std::string_view colour, std::string_view line) {
  static const bool tty = IsTerminal(2);
  std::string out;
  out.reserve(line.size() + 32);
  if (tty && !colour.empty()) out.append(colour);
  out.append(prefix);
  if (tty && !colour.empty()) out.append("\033[0m");
  out.append(line);
  out.push_back('\n');
  std::lock_guard<std::mutex> lock(Mutex());
  ProgressBuffer().Flush();
  std::fwrite(out.data(), 1, out.size(), stderr);
  std::fflush(stderr);
}

}  // namespace

bool IsTerminal(int fd) { return isatty(fd) == 1; }

void Info(std::string_view line) { Write("", "", line); }
void Warn(std::string_view line) { Write("warning: ", "\033[33m", line); }
void Error(std::string_view line) { Write("error: ", "\033[31m", line); }

void Progress(std::string_view line) {
  std::lock_guard<std::mutex> lock(Mutex());
  ProgressBuffer().Add(line);
}

void FlushProgress() {
  std::lock_guard<std::mutex> lock(Mutex());
  ProgressBuffer().Flush();
}

}  // namespace sweep::log
