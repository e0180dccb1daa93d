#include "base/log.h"

#include <unistd.h>

#include <cstdio>
#include <mutex>
#include <string>

namespace sweep::log {
namespace {

std::mutex& Mutex() {
  static std::mutex m;
  return m;
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
  std::fwrite(out.data(), 1, out.size(), stderr);
  std::fflush(stderr);
}

}  // namespace

bool IsTerminal(int fd) { return isatty(fd) == 1; }

void Info(std::string_view line) { Write("", "", line); }
void Warn(std::string_view line) { Write("warning: ", "\033[33m", line); }
void Error(std::string_view line) { Write("error: ", "\033[31m", line); }

}  // namespace sweep::log
