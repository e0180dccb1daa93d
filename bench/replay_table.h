// The replay table of the adaptive-search benchmark (written by bench/search_table.cc, format
// atop that file): every row of a grid trained once, each epoch's validation and test accuracy
// kept. Search algorithms are replayed against it (bench/search_replay.h).
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/status.h"

namespace sweep::bench {

struct ReplayRow {
  nlohmann::json params;              // the grid row as trained
  std::vector<double> val_accuracy;   // per epoch trained, 1-based epoch e at [e - 1]
  std::vector<double> test_accuracy;  // same epochs
  bool diverged = false;              // stopped after val_accuracy.size() finite epochs

  // Trained to `epochs` without diverging.
  bool Reached(int epochs) const {
    return static_cast<int>(val_accuracy.size()) >= epochs && !diverged;
  }
  // Epochs a run from epoch `from` to `to` really trains: to `to`, or up to and including the
  // diverging epoch.
  int Cost(int from, int to) const;
};

struct ReplayTable {
  nlohmann::json header;  // line 1 of the file
  int epochs = 0;         // the most any row trained
  std::vector<ReplayRow> rows;
  std::vector<std::string> keys;  // the searched parameters: those whose values differ
  double best_test = 0;           // the best final test accuracy of a row that reached `epochs`

  // The table row with `row`'s values of `keys`. Errors: NotFound naming the values.
  StatusOr<int> Find(const nlohmann::json& row) const;

 private:
  friend StatusOr<ReplayTable> ParseReplayTable(const std::string& text);
  std::string Key(const nlohmann::json& row) const;
  std::map<std::string, int> index_;
};

// Errors: Corruption naming the line; InvalidArgument for a table of another format.
StatusOr<ReplayTable> ParseReplayTable(const std::string& text);
StatusOr<ReplayTable> LoadReplayTable(const std::string& path);

}  // namespace sweep::bench
