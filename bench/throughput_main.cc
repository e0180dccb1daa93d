// sweep_model_throughput: a quick training-speed check of the target workloads on synthetic
// data (not a test; bench/ holds the Google Benchmark suite). Built only on request:
//   ninja sweep_model_throughput && sweep_model_throughput W1 2 [repeats]
// W1: 60000x784, 784-128-10 relu, adam, batch 128, 3 epochs.
// W2: 101x16, 7 classes, softmax regression, full-batch sgd lr 0.1, 2001 steps.
// W3: 60000x784, 784-512-512-10 relu, adam, batch 256, 1 epoch.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include "base/random.h"
#include "model/train.h"

namespace {

using namespace sweep::model;

sweep::Dataset Synthetic(int64_t rows, int cols, int classes, uint64_t seed) {
  sweep::SplitMix64Rng rng(seed);
  sweep::Dataset d = sweep::ZeroDataset(rows, cols, classes);
  d.source = "synthetic";
  for (float& v : d.x) v = sweep::UniformFloat(rng);  // [0, 1) like scaled pixels
  for (float& v : d.y) v = static_cast<float>(sweep::UniformBelow(rng, classes));
  return d;
}

double CpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string w = argc > 1 ? argv[1] : "W1";
  const int threads = argc > 2 ? std::atoi(argv[2]) : 0;
  const int repeats = argc > 3 ? std::atoi(argv[3]) : 3;
  TrainConfig c;
  c.threads = threads;
  c.seed = 1;
  sweep::Dataset data;
  if (w == "W2") {
    data = Synthetic(101, 16, 7, 2);
    c.optimizer.kind = Optimizer::kSgd;
    c.optimizer.learning_rate = 0.1f;
    c.batch_size = 0;
    c.epochs = 2001;
  } else {
    data = Synthetic(60000, 784, 10, 1);
    c.network.hidden = w == "W3" ? std::vector<int>{512, 512} : std::vector<int>{128};
    c.batch_size = w == "W3" ? 256 : 128;
    c.epochs = w == "W3" ? 1 : 3;
  }
  std::vector<double> rates, cpu_rates;
  for (int r = 0; r < repeats; ++r) {
    Mlp model;
    // Process CPU time over the epochs: on a shared machine wall time mostly measures others.
    double cpu0 = CpuSeconds(), cpu1 = cpu0;
    TrainHooks hooks;
    hooks.on_epoch = [&](const EpochRecord&) { cpu1 = CpuSeconds(); };
    auto report = Train(c, data, &model, hooks);
    if (!report.ok()) {
      std::fprintf(stderr, "%s\n", report.status().ToString().c_str());
      return 1;
    }
    double secs = 0;
    for (const EpochRecord& e : report->history) secs += e.seconds;
    const double rate = data.rows * static_cast<double>(report->history.size()) / secs;
    const double cpu = cpu1 - cpu0;
    const int t = threads > 0 ? threads : 1;
    const double cpu_rate = data.rows * static_cast<double>(report->history.size()) / (cpu / t);
    rates.push_back(w == "W2" ? secs * 1e3 : rate);
    cpu_rates.push_back(w == "W2" ? cpu * 1e3 : cpu_rate);
    std::printf(
        "%s threads=%d run %d: %.1f ms train (cpu %.1f ms), %.0f samples/s wall, %.0f "
        "per cpu-share, loss %.4f\n",
        w.c_str(), threads, r, secs * 1e3, cpu * 1e3, rate, cpu_rate, report->train.loss);
  }
  std::sort(rates.begin(), rates.end());
  std::sort(cpu_rates.begin(), cpu_rates.end());
  std::printf("%s threads=%d median: %.1f wall, %.1f by cpu time (%s)\n", w.c_str(), threads,
              rates[rates.size() / 2], cpu_rates[cpu_rates.size() / 2],
              w == "W2" ? "ms" : "samples/s");
  return 0;
}
