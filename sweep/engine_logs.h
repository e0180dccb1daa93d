// What an engine's own logs say about rows that never published. A worker that stops on bad
// input (exit 2) publishes nothing, so under Slurm its reason lives only in the task's log,
// {storage}/.slurm/%x-%A_%a.out (written there by `sweep submit --engine slurm`), whose last
// line is the worker's "error: [spec: ]row N: <reason>". `sweep collect` and `sweep status` show it
// beside the missing row instead of leaving the user to grep the logs.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace sweep {

struct LoggedError {
  std::string message;  // the reason, after "error: row N: "
  std::string path;     // the log it came from
};

// "error: row 12: dataset: x.csv: No such file" -> 12 and "dataset: x.csv: No such file", also
// with context before the row ("error: /x/spec.yml: row 1: learning_rate must be > 0");
// false for any other line.
bool ParseRowErrorLine(std::string_view line, int* row, std::string* message);

// For each of `rows` that a `*.out` file in `dir` names in an "error: row N: ..." line: the last
// such line of the newest such file (by modification time). Reads at most the last 4 KiB of
// at most 100,000 files; a missing folder or an unreadable file contributes nothing.
std::map<int, LoggedError> LastLoggedErrors(const std::string& dir, const std::vector<int>& rows);

}  // namespace sweep
