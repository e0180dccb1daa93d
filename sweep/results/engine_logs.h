// What an engine's own logs say about rows that have not published. Under Slurm a row's output
// lives only in its task's log, {storage}/.slurm/%x-%A_%a.out (written there by `sweep submit
// --engine slurm`), not in {storage}/{index}/worker.log as under `sweep run`:
//   - a worker that stopped on bad input (exit 2) publishes nothing; its last line is
//     "error: [spec: ]row N: <reason>";
//   - a worker that is training (or was killed while training) has printed
//     "row N (attempt K): ..." near the top and no result yet.
// `sweep collect` and `sweep status` use these to show the reason beside a missing row and to
// count a running row as unfinished rather than missing.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace sweep {

struct LoggedError {
  std::string message;  // the reason, after "row N: "
  std::string path;     // the log it came from
};

struct TaskLog {
  std::string path;
  std::string error;  // the reason of its last "error: ... row N: " line; "" when none
};

// "error: row 12: dataset: x.csv: No such file" -> 12 and "dataset: x.csv: No such file", also
// with context before the row ("error: /x/spec.yml: row 1: learning_rate must be > 0");
// false for any other line.
bool ParseRowErrorLine(std::string_view line, int* row, std::string* message);

// "row 3 (attempt 1): 200 rows x 8 features; ready in 2.0 ms" -> 3; false for any other line.
bool ParseRowStartLine(std::string_view line, int* row);

// For each of `rows` (sorted) that a `*.out` file in `dir` names, in a start line among its
// first 4 KiB or an error line among its last 4 KiB: the newest such file (by modification
// time) and its last error. Reads at most 100,000 files; a missing folder or an unreadable file
// contributes nothing.
std::map<int, TaskLog> ReadTaskLogs(const std::string& dir, const std::vector<int>& rows);

}  // namespace sweep
