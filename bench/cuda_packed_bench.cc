// cuda_packed_bench: K rows of one architecture trained by model::TrainPacked on the GPU (or one
// by one, or on the CPU), the sweep side of bench/cuda_compare.py. Built only with SWEEP_CUDA.
//
//   cuda_packed_bench [--data 'synthetic:mnist?rows=60000&seed=1'] [--rows 64] [--hidden 128]
//       [--batch 128] [--epochs 3] [--one-by-one] [--device cpu] [--export DIR]
//
// Row r has seed r + 1 and learning rate lr * 10^(r / (K - 1) - 0.5) (a log sweep around lr),
// optimizer adam. --export DIR writes what the PyTorch side needs to train the very same rows:
// DIR/data.h5 (X, y), DIR/rows.json (seed, lr per row) and DIR/init_R.bin (row R's initial
// weights, float32, per layer w as inputs x units row-major then b). Prints one JSON line.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "base/random.h"
#include "data/dataset_reader.h"
#include "model/train.h"

namespace {

using sweep::model::Device;
using sweep::model::TrainConfig;

int Fail(const sweep::Status& s) {
  std::fprintf(stderr, "cuda_packed_bench: %s\n", s.ToString().c_str());
  return 2;
}

std::vector<TrainConfig> Rows(int k, const std::vector<int>& hidden, int batch, int epochs,
                              float lr, Device device) {
  std::vector<TrainConfig> rows(k);
  for (int r = 0; r < k; ++r) {
    TrainConfig& c = rows[r];
    c.network.hidden = hidden;
    c.batch_size = batch;
    c.epochs = epochs;
    c.seed = static_cast<uint64_t>(r) + 1;
    const double t = k > 1 ? static_cast<double>(r) / (k - 1) : 0.5;
    c.optimizer.learning_rate = static_cast<float>(lr * std::pow(10.0, t - 0.5));
    c.device = device;
  }
  return rows;
}

sweep::Status Export(const std::string& dir, const sweep::Dataset& data,
                     const std::vector<TrainConfig>& rows) {
  SWEEP_RETURN_IF_ERROR(sweep::data::WriteHdf5Dataset(dir + "/data.h5", data));
  FILE* f = std::fopen((dir + "/rows.json").c_str(), "w");
  if (f == nullptr) return sweep::Status::InvalidArgument(dir + "/rows.json: cannot write");
  std::fprintf(f, "[");
  for (size_t r = 0; r < rows.size(); ++r) {
    const TrainConfig& c = rows[r];
    std::fprintf(f, "%s{\"seed\": %llu, \"lr\": %.9g}", r ? ", " : "",
                 static_cast<unsigned long long>(c.seed), c.optimizer.learning_rate);
    // The initial weights Train builds (model/train.cc, PrepareRun).
    const sweep::model::Mlp init(data.cols, c.network.hidden, data.num_classes,
                                 c.network.activation, sweep::model::OutputKind::kSoftmax,
                                 c.network.init, sweep::SubSeed(c.seed, 1));
    const std::vector<float> flat = init.FlatParameters();
    FILE* w = std::fopen((dir + "/init_" + std::to_string(r) + ".bin").c_str(), "wb");
    if (w == nullptr) return sweep::Status::InvalidArgument(dir + ": cannot write init files");
    std::fwrite(flat.data(), sizeof(float), flat.size(), w);
    std::fclose(w);
  }
  std::fprintf(f, "]\n");
  std::fclose(f);
  return sweep::Status::Ok();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"K rows trained packed on the GPU (bench/cuda_compare.py)"};
  std::string data_spec = "synthetic:mnist?rows=60000&seed=1", device_name = "cuda", export_dir;
  int k = 64, batch = 128, epochs = 3;
  float lr = 1e-3f;
  std::vector<int> hidden = {128};
  bool one_by_one = false;
  app.add_option("--data", data_spec, "Data set (path or synthetic:...)");
  app.add_option("--rows", k, "Rows (K)");
  app.add_option("--hidden", hidden, "Hidden widths");
  app.add_option("--batch", batch, "Mini-batch size");
  app.add_option("--epochs", epochs, "Epochs");
  app.add_option("--lr", lr, "Centre of the learning-rate sweep");
  app.add_option("--device", device_name, "cuda or cpu");
  app.add_option("--export", export_dir, "Write data.h5, rows.json, init_R.bin here");
  app.add_flag("--one-by-one", one_by_one, "Train the rows one after another (Train)");
  CLI11_PARSE(app, argc, argv);

  auto device = sweep::model::ParseDevice(device_name);
  if (!device.ok()) return Fail(device.status());
  const std::vector<TrainConfig> rows = Rows(k, hidden, batch, epochs, lr, *device);
  if (sweep::Status s = sweep::model::CheckDeviceReady(rows.front()); !s.ok()) return Fail(s);
  auto data = sweep::data::ReadDataset(data_spec, sweep::data::TargetKind::kClassLabels);
  if (!data.ok()) return Fail(data.status());
  if (!export_dir.empty()) {
    if (sweep::Status s = Export(export_dir, *data, rows); !s.ok()) return Fail(s);
  }

  std::vector<sweep::model::Mlp> models(k);
  std::vector<sweep::model::Mlp*> ptrs;
  for (auto& m : models) ptrs.push_back(&m);
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<sweep::StatusOr<sweep::model::TrainReport>> reports;
  if (one_by_one) {
    for (int r = 0; r < k; ++r) reports.push_back(sweep::model::Train(rows[r], *data, ptrs[r]));
  } else {
    reports =
        sweep::model::TrainPacked(rows, *data, ptrs, std::vector<sweep::model::TrainHooks>(k));
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  double loss = 0, acc = 0;
  std::string per_row;
  for (int r = 0; r < k; ++r) {
    if (!reports[r].ok()) return Fail(reports[r].status().WithContext("row " + std::to_string(r)));
    loss += reports[r]->train.loss / k;
    acc += reports[r]->train.accuracy / k;
    char buf[96];
    std::snprintf(buf, sizeof buf, "%s[%.6g, %.6g]", r ? ", " : "", reports[r]->train.loss,
                  reports[r]->train.accuracy);
    per_row += buf;
  }
  std::printf(
      "{\"side\": \"sweep\", \"mode\": \"%s\", \"device\": \"%s\", \"rows\": %d, \"seconds\": "
      "%.4f, "
      "\"rows_per_hour\": %.1f, \"samples_per_s\": %.1f, \"mean_loss\": %.6g, "
      "\"mean_accuracy\": %.6g, \"per_row\": [%s]}\n",
      one_by_one ? "one_by_one" : "packed", device_name.c_str(), k, seconds, k * 3600.0 / seconds,
      static_cast<double>(data->rows) * epochs * k / seconds, loss, acc, per_row.c_str());
  return 0;
}
