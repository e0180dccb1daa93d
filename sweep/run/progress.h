// What `sweep run` shows while it works. On a terminal: finished-row lines scroll above one
// status line that is redrawn in place ("4/6 done, 2 running, 1 failed, 3 skipped | 12.0s
// elapsed, ETA 6.0s | best val_accuracy=0.9312 @3", @ = the row index). Elsewhere (pipes, CI logs):
// only the plain finished-row lines, no control characters. Not thread-safe: the runner's single
// loop owns it.
#pragma once

#include <cstdio>
#include <optional>
#include <string>

namespace sweep {

struct ProgressCounts {
  int total = 0;      // rows in the plan
  int selected = 0;   // rows this run starts
  int succeeded = 0;  // of the selected rows, finished and succeeded
  int failed = 0;     // of the selected rows, finally failed
  int diverged = 0;   // of the selected rows, finished with a non-finite loss (no model)
  int running = 0;
  int skipped = 0;  // rows left alone (already succeeded, or not selected)
};

struct BestSoFar {
  int index = -1;
  double value = 0;
};

// "4.2s", "1:05", "1:02:03".
std::string FormatDuration(double seconds);

// The status line, at most `width` characters (0 = no limit).
std::string StatusLine(const ProgressCounts& counts, double elapsed_s,
                       const std::optional<BestSoFar>& best, const std::string& metric,
                       size_t width);

class Progress {
 public:
  // `live`: redraw a status line (a terminal); else print plain lines only.
  Progress(std::FILE* out, bool live);
  // Prints one line (a finished row, a warning), keeping the status line below it.
  void Line(const std::string& line);
  // Redraws the status line when live and at least 100 ms passed since the last redraw
  // (or `force`).
  void Update(const ProgressCounts& counts, double elapsed_s, const std::optional<BestSoFar>& best,
              const std::string& metric, bool force = false);
  // Clears the status line (live) before the final summary.
  void Finish();

 private:
  std::FILE* out_;
  bool live_;
  bool drawn_ = false;
  double last_draw_ = -1;
  std::string last_line_;
};

}  // namespace sweep
