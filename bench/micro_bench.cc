// Google Benchmark micro benchmarks: the GEMMs of W1/W3, one training step, publishing a model,
// expanding a 10,000-row spec. ctest runs each once (bench_micro) so they cannot rot; numbers
// come from running sweep_bench by hand or from bench/compare.sh.
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <stdlib.h>

#include <filesystem>
#include <string>
#include <vector>

#include "base/random.h"
#include "bench/gemm.h"
#include "bench/grid_spec.h"
#include "model/train.h"
#include "storage/keras_h5.h"
#include "storage/layout.h"
#include "sweep/predict/tensor_json.h"
#include "sweep/spec/spec.h"
#include "worker/publish.h"

namespace sweep::bench {
namespace {

// --- GEMM: C = op(A) op(B) at the shapes of one W1/W3 step, one thread --------------------
// Args: m, k, n, transpose A, transpose B. Per-thread shapes: at 2 threads each thread runs
// these with half the batch as n (forward) or k (weight gradient).
void BM_Sgemm(benchmark::State& state) {
  const GemmShape s{static_cast<int>(state.range(0)), static_cast<int>(state.range(1)),
                    static_cast<int>(state.range(2)), state.range(3) != 0, state.range(4) != 0};
  using M = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic>;
  M a = s.ta ? M::Random(s.k, s.m) : M::Random(s.m, s.k);
  M b = s.tb ? M::Random(s.n, s.k) : M::Random(s.k, s.n);
  M c(s.m, s.n);
  for (auto _ : state) {
    if (!s.ta && !s.tb)
      c.noalias() = a * b;
    else if (!s.ta)
      c.noalias() = a * b.transpose();
    else if (!s.tb)
      c.noalias() = a.transpose() * b;
    else
      c.noalias() = a.transpose() * b.transpose();
    benchmark::DoNotOptimize(c.data());
    benchmark::ClobberMemory();
  }
  state.counters["FLOP/s"] = benchmark::Counter(
      s.Flops(), benchmark::Counter::kIsIterationInvariantRate, benchmark::Counter::kIs1000);
  state.SetLabel(s.Name());
}
BENCHMARK(BM_Sgemm)
    ->ArgNames({"m", "k", "n", "ta", "tb"})
    // W1 (784-128-10, batch 128): forward layer 1, its weight gradient, the same per thread at 2.
    ->Args({128, 784, 128, 0, 0})
    ->Args({128, 128, 784, 0, 1})
    ->Args({128, 784, 64, 0, 0})
    ->Args({128, 64, 784, 0, 1})
    // W3 (784-512-512-10, batch 256): forward layers 1-2, weight gradients, input gradient.
    ->Args({512, 784, 256, 0, 0})
    ->Args({512, 256, 784, 0, 1})
    ->Args({512, 512, 256, 0, 0})
    ->Args({512, 256, 512, 0, 1})
    ->Args({512, 512, 256, 1, 0})
    ->Args({512, 784, 128, 0, 0})
    ->Args({512, 512, 128, 0, 0});

// --- One forward + backward + Adam step through model::Train -----------------------------
// Train has no single-step entry point, so each iteration trains one epoch of kSteps batches
// and reports the epoch's training time (EpochRecord::seconds: no setup, no evaluation) / kSteps.
constexpr int kSteps = 8;

Dataset StepData(int cols, int classes, int rows) {
  Dataset d = ZeroDataset(rows, cols, classes);
  SplitMix64Rng rng(7);
  for (float& v : d.x) v = 2.0f * UniformFloat(rng) - 0.5f;
  for (int i = 0; i < rows; ++i) d.y[i] = static_cast<float>(i % classes);
  d.source = "bench";
  return d;
}

void TrainStep(benchmark::State& state, std::vector<int> hidden, int batch) {
  model::TrainConfig config;
  config.network.hidden = std::move(hidden);
  config.optimizer.kind = model::Optimizer::kAdam;
  config.batch_size = batch;
  config.epochs = 1;
  config.threads = static_cast<int>(state.range(0));
  const Dataset data = StepData(784, 10, batch * kSteps);
  for (auto _ : state) {
    model::Mlp mlp;
    auto report = model::Train(config, data, &mlp);
    if (!report.ok()) {
      state.SkipWithError(report.status().ToString().c_str());
      return;
    }
    state.SetIterationTime(report->history[0].seconds / kSteps);
  }
  state.SetItemsProcessed(state.iterations() * batch);
}
void BM_TrainStep_W1(benchmark::State& state) { TrainStep(state, {128}, 128); }
void BM_TrainStep_W3(benchmark::State& state) { TrainStep(state, {512, 512}, 256); }
BENCHMARK(BM_TrainStep_W1)
    ->ArgName("threads")
    ->Arg(1)
    ->Arg(2)
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_TrainStep_W3)
    ->ArgName("threads")
    ->Arg(1)
    ->Arg(2)
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);

// --- Publishing model.h5 (storage::WriteModelFile: temp file, fsync, rename) --------------
void PublishModel(benchmark::State& state, std::vector<int> hidden) {
  model::Mlp mlp(784, hidden, 10, model::Activation::kRelu, model::OutputKind::kSoftmax,
                 model::Init::kAuto, 1);
  storage::ModelFile file = worker::ToModelFile(mlp);
  file.attributes["sweep_params"] = R"({"hidden": [128], "learning_rate": 0.001})";
  char tmpl[] = "/tmp/sweep-bench-XXXXXX";
  const std::string dir = mkdtemp(tmpl);
  const std::string path = sweep::storage::JoinPath(dir, sweep::storage::ModelPathInIndex());
  std::filesystem::create_directories(dir + "/model");
  for (auto _ : state) {
    Status s = storage::WriteModelFile(path, file);
    if (!s.ok()) {
      state.SkipWithError(s.ToString().c_str());
      break;
    }
  }
  state.SetBytesProcessed(state.iterations() * mlp.ParameterCount() * 4);
  std::filesystem::remove_all(dir);
}
void BM_WriteModelFile_W1(benchmark::State& state) { PublishModel(state, {128}); }
void BM_WriteModelFile_W3(benchmark::State& state) { PublishModel(state, {512, 512}); }
BENCHMARK(BM_WriteModelFile_W1)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_WriteModelFile_W3)->Unit(benchmark::kMicrosecond);

// --- Spec expansion: a 10 x 10 x 10 x 10 W&B grid ----------------------------------------
void BM_ParseSpec_Grid10k(benchmark::State& state) {
  const std::string text = Grid10kSpec();
  size_t rows = 0;
  for (auto _ : state) {
    auto spec = ParseSpec(text, "grid10k.yml", "/tmp");
    if (!spec.ok()) {
      state.SkipWithError(spec.status().ToString().c_str());
      break;
    }
    rows = spec->rows.size();
    benchmark::DoNotOptimize(rows);
  }
  state.counters["rows"] = static_cast<double>(rows);
  state.SetItemsProcessed(state.iterations() * rows);
}
BENCHMARK(BM_ParseSpec_Grid10k)->Unit(benchmark::kMillisecond);

// --- Serving: a TF Serving body of n 28x28 images as Python's json.dumps writes pixel/255 ----
std::string ImagesBody(int n) {
  SplitMix64Rng rng(9);
  std::string body = "{\"instances\": [";
  for (int i = 0; i < n; ++i) {
    body += i ? ", [" : "[";
    for (int r = 0; r < 28; ++r) {
      body += r ? ", [" : "[";
      for (int c = 0; c < 28; ++c) {
        const uint64_t px = rng.Next() % 512;  // about half the pixels are 0, as in MNIST
        body += c ? ", " : "";
        body += px < 256 ? std::string("0.0") : fmt::format("{}", (px - 255) / 255.0);
      }
      body += "]";
    }
    body += "]";
  }
  return body + "]}";
}

void BM_ParsePredict(benchmark::State& state) {
  const std::string body = ImagesBody(static_cast<int>(state.range(0)));
  predict::RequestParser parser;
  predict::Batch batch;
  const predict::InputSpec spec{784, {28, 28}};
  for (auto _ : state) {
    Status s = parser.ParsePredict(body, spec, &batch);
    if (!s.ok()) {
      state.SkipWithError(s.ToString().c_str());
      break;
    }
    benchmark::DoNotOptimize(batch.values.data());
  }
  state.SetBytesProcessed(state.iterations() * body.size());
}
BENCHMARK(BM_ParsePredict)->Arg(1)->Arg(32)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace sweep::bench
