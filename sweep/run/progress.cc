#include "sweep/run/progress.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <chrono>
#include <cmath>

namespace sweep {
namespace {

size_t TerminalWidth(std::FILE* out) {
  struct winsize ws;
  if (ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  return 80;
}

double NowSeconds() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

}  // namespace

std::string FormatDuration(double seconds) {
  if (!(seconds >= 0)) seconds = 0;
  char buf[32];
  if (seconds < 60) {
    std::snprintf(buf, sizeof(buf), "%.1fs", seconds);
  } else if (seconds < 3600) {
    long s = std::lround(seconds);
    std::snprintf(buf, sizeof(buf), "%ld:%02ld", s / 60, s % 60);
  } else {
    long s = std::lround(seconds);
    std::snprintf(buf, sizeof(buf), "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
  }
  return buf;
}

std::string StatusLine(const ProgressCounts& c, double elapsed_s,
                       const std::optional<BestSoFar>& best, const std::string& metric,
                       size_t width) {
  int done = c.succeeded + c.failed + c.diverged;
  char buf[256];
  std::snprintf(buf, sizeof(buf), "%d/%d done, %d running, %d failed", done, c.selected, c.running,
                c.failed);
  std::string line = buf;
  if (c.diverged > 0) line += ", " + std::to_string(c.diverged) + " diverged";
  line += ", " + std::to_string(c.skipped) + " skipped";
  line += " | " + FormatDuration(elapsed_s) + " elapsed";
  int left = c.selected - done;
  if (done > 0 && left > 0) {
    line += ", ETA " + FormatDuration(elapsed_s / done * left);
  } else if (left > 0) {
    line += ", ETA ?";
  }
  if (best) {
    std::snprintf(buf, sizeof(buf), " | best %s=%.4g @%d", metric.c_str(), best->value,
                  best->index);
    line += buf;
  }
  if (width > 0 && line.size() >= width) line.resize(width - 1);
  return line;
}

Progress::Progress(std::FILE* out, bool live) : out_(out), live_(live) {}

void Progress::Line(const std::string& line) {
  if (live_ && drawn_) std::fputs("\r\033[K", out_);
  std::fputs(line.c_str(), out_);
  std::fputc('\n', out_);
  if (live_ && drawn_) std::fputs(last_line_.c_str(), out_);
  std::fflush(out_);
}

void Progress::Update(const ProgressCounts& counts, double elapsed_s,
                      const std::optional<BestSoFar>& best, const std::string& metric, bool force) {
  if (!live_) return;
  double now = NowSeconds();
  if (!force && last_draw_ >= 0 && now - last_draw_ < 0.1) return;
  last_draw_ = now;
  last_line_ = StatusLine(counts, elapsed_s, best, metric, TerminalWidth(out_));
  std::fputs("\r\033[K", out_);
  std::fputs(last_line_.c_str(), out_);
  std::fflush(out_);
  drawn_ = true;
}

void Progress::Finish() {
  if (live_ && drawn_) {
    std::fputs("\r\033[K", out_);
    std::fflush(out_);
  }
  drawn_ = false;
}

}  // namespace sweep
