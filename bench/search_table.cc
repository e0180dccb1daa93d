// search_table: the replay table of the adaptive-search benchmark (bench/RESULTS.md, "Adaptive
// search"). Every row of a grid spec (bench/search_space.yml) is trained once with model::Train,
// the project's MLP, and every epoch's metrics are kept, so search algorithms can be replayed
// against the table in seconds (bench/search_sim.cc, bench/search_optuna.py).
//
//   search_table --spec bench/search_space.yml --train-rows 10000 --test-rows 5000
//       --out bench/data/search_table.jsonl [--first 0 --count 243]
//
// Data: the first --train-rows rows of the spec's `dataset` (the row's validation_split of them
// held out, as the worker does) and the first --test-rows rows of --test (Fashion-MNIST's t10k
// by default), evaluated after every epoch with the weights of that epoch.
// Output, JSON Lines: line 1 a header {"table": "search_table", "format_version": 1, "command",
// "spec", "train_rows", "test_rows", "test", "epochs", "date", "threads"}; then one line per
// row: {"row": i, "params": {the spec's row}, "val_accuracy": [...], "val_loss": [...],
// "test_accuracy": [...], "train_loss": [...], "seconds": [...]}, one entry per epoch trained
// (fewer than `epochs` when the run diverged: "diverged" then says where). Numbers to 6
// significant digits.
#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/strings.h"
#include "data/dataset_reader.h"
#include "model/train.h"
#include "sweep/spec/row_config.h"
#include "sweep/spec/spec.h"

namespace {

using nlohmann::json;
using sweep::Dataset;

double Round6(double v) {
  if (!std::isfinite(v)) return v;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return std::strtod(buf, nullptr);
}

// The first `rows` rows of `d` (all when rows <= 0 or more than it has).
Dataset Head(Dataset d, int64_t rows) {
  if (rows <= 0 || rows >= d.rows) return d;
  d.rows = rows;
  d.x.resize(static_cast<size_t>(rows) * d.cols);
  d.y.resize(static_cast<size_t>(rows));
  return d;
}

std::string UtcNow() { return sweep::FormatUtc(std::time(nullptr), "%Y-%m-%dT%H:%M:%SZ"); }

// One row trained; its line of the table.
sweep::StatusOr<json> TrainRow(int index, const json& row, const Dataset& train,
                               const Dataset& test) {
  SWEEP_ASSIGN_OR_RETURN(sweep::model::TrainConfig config, sweep::ConfigFromRow(row));
  json line = {{"row", index}, {"params", row}};
  std::vector<double> val_acc, val_loss, test_acc, train_loss, seconds;
  sweep::model::Mlp model;
  sweep::model::TrainHooks hooks;
  hooks.on_epoch = [&](const sweep::model::EpochRecord& rec) {
    // The model holds this epoch's weights here (Train updates it in place).
    const sweep::model::Metrics t =
        sweep::model::Evaluate(model, test, config.network.loss, config.threads);
    val_acc.push_back(Round6(rec.val.accuracy));
    val_loss.push_back(Round6(rec.val.loss));
    train_loss.push_back(Round6(rec.train.loss));
    test_acc.push_back(Round6(t.accuracy));
    seconds.push_back(Round6(rec.seconds));
  };
  SWEEP_ASSIGN_OR_RETURN(sweep::model::TrainReport report,
                         sweep::model::Train(config, train, &model, hooks));
  // A diverged epoch is not in the history: on_epoch saw only the finite ones.
  if (report.diverged) line["diverged"] = sweep::model::DescribeDivergence(*report.diverged);
  line["val_accuracy"] = val_acc;
  line["val_loss"] = val_loss;
  line["test_accuracy"] = test_acc;
  line["train_loss"] = train_loss;
  line["seconds"] = seconds;
  return line;
}

int Fail(const std::string& what) {
  std::fprintf(stderr, "search_table: %s\n", what.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Train every row of a grid spec, keeping each epoch's metrics (a replay table)"};
  std::string spec_path, out_path;
  std::string test_path = "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz";
  int64_t train_rows = 10000, test_rows = 5000;
  int first = 0, count = -1;
  app.add_option("--spec", spec_path, "grid spec (bench/search_space.yml)")->required();
  app.add_option("--out", out_path, "table to write (JSON Lines)")->required();
  app.add_option("--test", test_path, "test data set");
  app.add_option("--train-rows", train_rows, "rows of the spec's dataset used (0 = all)");
  app.add_option("--test-rows", test_rows, "rows of the test data set used (0 = all)");
  app.add_option("--first", first, "first row to train");
  app.add_option("--count", count, "rows to train (-1 = to the end)");
  CLI11_PARSE(app, argc, argv);

  sweep::StatusOr<sweep::Spec> spec = sweep::LoadSpecFile(spec_path);
  if (!spec.ok()) return Fail(spec.status().ToString());
  const json& row0 = spec->rows.at(0);
  const std::string dataset = row0.at("dataset").get<std::string>();
  auto train = sweep::data::ReadDataset(dataset, sweep::data::TargetKind::kClassLabels);
  if (!train.ok()) return Fail(train.status().ToString());
  auto test = sweep::data::ReadDataset(test_path, sweep::data::TargetKind::kClassLabels);
  if (!test.ok()) return Fail(test.status().ToString());
  const Dataset train_head = Head(std::move(*train), train_rows);
  const Dataset test_head = Head(std::move(*test), test_rows);

  std::ofstream out(out_path);
  std::string command;
  for (int i = 0; i < argc; ++i) command += (i ? " " : "") + std::string(argv[i]);
  const json header = {{"table", "search_table"},   {"format_version", 1},
                       {"command", command},        {"spec", spec_path},
                       {"dataset", dataset},        {"train_rows", train_head.rows},
                       {"test", test_path},         {"test_rows", test_head.rows},
                       {"rows", spec->rows.size()}, {"date", UtcNow()}};
  out << header.dump() << "\n";
  const int end = count < 0 ? static_cast<int>(spec->rows.size())
                            : std::min<int>(spec->rows.size(), first + count);
  for (int i = first; i < end; ++i) {
    sweep::StatusOr<json> line = TrainRow(i, spec->rows[i], train_head, test_head);
    if (!line.ok()) return Fail("row " + std::to_string(i) + ": " + line.status().ToString());
    out << line->dump() << "\n" << std::flush;
    double total = 0;
    for (double s : (*line)["seconds"]) total += s;
    std::fprintf(
        stderr, "row %d: %s test %.4f, %.1f s training\n", i, spec->rows[i].dump().c_str(),
        (*line)["test_accuracy"].empty() ? 0.0 : (*line)["test_accuracy"].back().get<double>(),
        total);
  }
  return out.good() ? 0 : Fail(out_path + ": write failed");
}
