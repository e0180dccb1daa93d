// train_bench: the C++ side of bench/compare.py for the training-throughput workloads.
//
//   train_bench --row '{"dataset": "w1.h5", "hidden": [128], "batch_size": 128, ...}' [--threads T]
//       Reads the data as the worker does, trains with model::Train, prints one JSON line:
//       samples/s over the epochs' training time, final loss/accuracy, peak RSS.
//   train_bench --row ... --init-out init.h5 --no-train
//       Writes the initial weights Train will start from (Keras layout), for the PyTorch side.
//   train_bench --gemm --sizes 784,128,10 --batch 128 --threads 2 [--seconds 0.3]
//       The sgemm limit at that step's shapes (bench/gemm.h), as JSON.
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/random.h"
#include "bench/gemm.h"
#include "data/dataset_reader.h"
#include "model/train.h"
#include "storage/keras_h5.h"
#include "sweep/spec/row_config.h"
#include "worker/publish.h"

namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

long PeakRssKib() {
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

std::vector<int> LayerSizes(int inputs, const std::vector<int>& hidden, int outputs) {
  std::vector<int> sizes = {inputs};
  sizes.insert(sizes.end(), hidden.begin(), hidden.end());
  sizes.push_back(outputs);
  return sizes;
}

double FlopsPerSample(const std::vector<int>& sizes) {
  double f = 0;
  for (const auto& g : sweep::bench::StepGemms(sizes, 1)) f += g.Flops();
  return f;
}

int Fail(const sweep::Status& s) {
  std::fprintf(stderr, "train_bench: %s\n", s.ToString().c_str());
  return 1;
}

int RunGemm(const std::string& sizes_text, int batch, int threads, double seconds) {
  std::vector<int> sizes;
  for (size_t pos = 0; pos < sizes_text.size();) {
    size_t comma = sizes_text.find(',', pos);
    if (comma == std::string::npos) comma = sizes_text.size();
    sizes.push_back(std::stoi(sizes_text.substr(pos, comma - pos)));
    pos = comma + 1;
  }
  const int cols = (batch + threads - 1) / threads;
  std::vector<sweep::bench::GemmShape> shapes = sweep::bench::StepGemms(sizes, cols);
  std::vector<double> rates;
  json per = json::array();
  for (const auto& s : shapes) {
    rates.push_back(sweep::bench::MeasureGemm(s, threads, seconds));
    per.push_back({{"shape", s.Name()}, {"gflops", rates.back()}});
  }
  json out = {{"threads", threads},
              {"cols_per_thread", cols},
              {"gemms", per},
              {"gflops", sweep::bench::CombinedRate(shapes, rates)}};
  std::printf("%s\n", out.dump().c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"train_bench: one training run (or the sgemm limit) for bench/compare.py"};
  std::string row_text, init_out, sizes = "784,128,10";
  int threads = -1, batch = 128;
  bool no_train = false, gemm = false;
  double seconds = 0.3;
  app.add_option("--row", row_text, "Row as JSON (the keys sweep-worker accepts)");
  app.add_option("--threads", threads, "Override the row's threads");
  app.add_option("--init-out", init_out, "Write the initial weights (model.h5 layout) here");
  app.add_flag("--no-train", no_train, "Stop after --init-out");
  app.add_flag("--gemm", gemm, "Measure the sgemm limit at a step's shapes instead");
  app.add_option("--sizes", sizes, "--gemm: layer widths, inputs first");
  app.add_option("--batch", batch, "--gemm: mini-batch size");
  app.add_option("--seconds", seconds, "--gemm: time per shape");
  CLI11_PARSE(app, argc, argv);

  if (gemm) return RunGemm(sizes, batch, threads > 0 ? threads : 1, seconds);

  json row = json::parse(row_text, nullptr, /*allow_exceptions=*/false);
  auto config_or = sweep::ConfigFromRow(row);
  if (!config_or.ok()) return Fail(config_or.status());
  sweep::model::TrainConfig config = *config_or;
  if (threads >= 0) config.threads = threads;

  const Clock::time_point t0 = Clock::now();
  auto data_or =
      sweep::data::ReadDataset(config.data.dataset, sweep::data::TargetKind::kClassLabels);
  if (!data_or.ok()) return Fail(data_or.status());
  const sweep::Dataset& data = *data_or;
  const double load_s = std::chrono::duration<double>(Clock::now() - t0).count();
  const std::vector<int> layer_sizes =
      LayerSizes(data.cols, config.network.hidden, data.num_classes);

  if (!init_out.empty()) {
    // The model Train builds first (model/train.cc: Mlp(..., SubSeed(seed, 1))).
    sweep::model::Mlp init(data.cols, config.network.hidden, data.num_classes,
                           config.network.activation, sweep::model::OutputKind::kSoftmax,
                           config.network.init, sweep::SubSeed(config.seed, 1));
    sweep::Status s = sweep::storage::WriteModelFile(init_out, sweep::worker::ToModelFile(init));
    if (!s.ok()) return Fail(s);
    if (no_train) return 0;
  }

  sweep::model::Mlp mlp;
  auto report = sweep::model::Train(config, data, &mlp);
  if (!report.ok()) return Fail(report.status());
  double train_s = 0;
  for (const auto& e : report->history) train_s += e.seconds;
  const double samples = static_cast<double>(data.rows) * report->history.size();
  json out = {{"side", "sweep"},
              {"threads", config.threads},
              {"seconds", train_s},
              {"total_seconds", report->seconds},
              {"load_seconds", load_s},
              {"samples_per_s", samples / train_s},
              {"loss", report->train.loss},
              {"accuracy", report->train.accuracy},
              {"flops_per_sample", FlopsPerSample(layer_sizes)},
              {"peak_rss_kib", PeakRssKib()}};
  std::printf("%s\n", out.dump().c_str());
  return 0;
}
