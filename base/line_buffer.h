// Lines that may come thousands of times a second (one per training epoch), written with few
// system calls: kept in memory and written whole when `interval_s` passed since the last write
// (the first line at once), when 64 KiB are pending, and on Flush(). So a reader of the output
// is never more than ~interval_s behind while lines come. With `line_flush` (a terminal) every
// line is written at once.
// Not thread-safe: base/log.h serialises its one instance behind its mutex.
#pragma once

#include <cstdio>
#include <functional>
#include <string>
#include <string_view>

namespace sweep {

class LineBuffer {
 public:
  // `now` returns seconds on any steady clock (tests pass a fake one).
  LineBuffer(std::FILE* out, bool line_flush, double interval_s, std::function<double()> now);
  ~LineBuffer() { Flush(); }
  LineBuffer(const LineBuffer&) = delete;
  LineBuffer& operator=(const LineBuffer&) = delete;

  // Adds `line` and a newline.
  void Add(std::string_view line);
  // Writes and flushes what is pending (nothing to do when nothing is).
  void Flush();
  bool pending() const { return !pending_.empty(); }

 private:
  static constexpr size_t kMaxPending = 64 * 1024;

  std::FILE* out_;
  bool line_flush_;
  double interval_s_;
  std::function<double()> now_;
  std::string pending_;
  double last_write_ = 0;
  bool written_ = false;
};

}  // namespace sweep
