// make_data: the inputs of bench/compare.py, generated deterministically (never timed).
//
//   make_data --out DIR [--rows 60000]
//       DIR/w1.h5  synthetic:mnist (rows x 784, 10 classes, standardised like MNIST): W1, W3
//       DIR/w2.h5  synthetic:zoo (101 x 16, 7 classes): W2
//     Both as HDF5 X/y through data::WriteHdf5Dataset, read by the worker and by h5py.
//   make_data --results DIR [--count 10000]
//       A finished sweep for `sweep collect`: DIR/sweep.json (the 10,000-row grid plan) and
//       DIR/{i}/result.json for every row, with plausible metrics and a 3-epoch history.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "base/random.h"
#include "bench/grid_spec.h"
#include "data/dataset_reader.h"
#include "storage/layout.h"
#include "storage/result.h"
#include "sweep/spec/plan.h"
#include "sweep/spec/spec.h"

namespace {

int Fail(const sweep::Status& s) {
  std::fprintf(stderr, "make_data: %s\n", s.ToString().c_str());
  return 1;
}

sweep::Status WriteText(const std::string& path, const std::string& text) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream f(path, std::ios::binary);
  f << text;
  f.close();
  return f ? sweep::Status::Ok() : sweep::Status::Unavailable("cannot write " + path);
}

int WriteData(const std::string& out, int rows) {
  const std::pair<std::string, std::string> sets[] = {
      {"w1.h5", "synthetic:mnist?rows=" + std::to_string(rows) + "&seed=1"},
      {"w2.h5", "synthetic:zoo?seed=1"},
  };
  for (const auto& [file, spec] : sets) {
    auto data = sweep::data::ReadDataset(spec, sweep::data::TargetKind::kClassLabels);
    if (!data.ok()) return Fail(data.status());
    sweep::Status s = sweep::data::WriteHdf5Dataset(out + "/" + file, *data);
    if (!s.ok()) return Fail(s);
    std::printf("%s/%s: %lld x %d, %d classes (%s)\n", out.c_str(), file.c_str(),
                static_cast<long long>(data->rows), data->cols, data->num_classes, spec.c_str());
  }
  return 0;
}

int WriteResults(const std::string& root, int count) {
  auto spec = sweep::ParseSpec(sweep::bench::Grid10kSpec(), "grid10k.yml", root);
  if (!spec.ok()) return Fail(spec.status());
  if (count > static_cast<int>(spec->rows.size())) count = static_cast<int>(spec->rows.size());
  spec->rows.resize(count);
  sweep::Plan plan = sweep::MakePlan(*spec, sweep::bench::Grid10kSpec(), {});
  sweep::Status s = WriteText(sweep::storage::PlanPath(root), sweep::PlanToText(plan));
  if (!s.ok()) return Fail(s);
  sweep::SplitMix64Rng rng(42);
  for (int i = 0; i < count; ++i) {
    sweep::storage::RunResult r;
    r.index = i;
    r.status = i % 97 != 13 ? sweep::storage::ResultStatus::kSucceeded
                            : sweep::storage::ResultStatus::kFailed;  // about 1% failed rows
    r.params = spec->rows[i];
    r.host = "bench";
    r.version = "0.1.0";
    r.epochs = 3;
    r.seconds = 1 + 10 * sweep::UniformFloat(rng);
    if (r.succeeded()) {
      double loss = 0.3 + sweep::UniformFloat(rng);
      for (int e = 1; e <= 3; ++e) {
        loss *= 0.7;
        r.history.push_back({{"epoch", e},
                             {"train_loss", loss},
                             {"train_accuracy", 1 - loss / 2},
                             {"val_loss", loss * 1.1},
                             {"val_accuracy", 1 - loss / 1.8},
                             {"seconds", r.seconds / 3}});
      }
      r.best_epoch = 3;
      r.metrics = {{"train_loss", loss},
                   {"train_accuracy", 1 - loss / 2},
                   {"val_loss", loss * 1.1},
                   {"val_accuracy", 1 - loss / 1.8}};
      r.model = sweep::storage::ModelPathInIndex();
    } else {
      r.error = "row " + std::to_string(i) + ": train: synthetic failure";
      r.exit_code = 1;
    }
    s = WriteText(sweep::storage::ResultPath(root, i), sweep::storage::ToJsonText(r));
    if (!s.ok()) return Fail(s);
  }
  std::printf("%s: %d result folders\n", root.c_str(), count);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"make_data: deterministic inputs for bench/compare.py"};
  std::string out, results;
  int rows = 60000, count = 10000;
  app.add_option("--out", out, "Write w1.h5 and w2.h5 into this folder");
  app.add_option("--rows", rows, "Rows of w1.h5");
  app.add_option("--results", results, "Write a finished synthetic sweep into this folder");
  app.add_option("--count", count, "Result folders for --results");
  CLI11_PARSE(app, argc, argv);
  if (!out.empty()) {
    if (int rc = WriteData(out, rows)) return rc;
  }
  if (!results.empty()) return WriteResults(results, count);
  return 0;
}
