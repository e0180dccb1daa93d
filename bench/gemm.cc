#include "bench/gemm.h"

#include <Eigen/Core>
#include <atomic>
#include <chrono>
#include <thread>

namespace sweep::bench {
namespace {

using Matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic>;
using Clock = std::chrono::steady_clock;

struct Operands {
  Matrix a, b, c;
  explicit Operands(const GemmShape& s)
      : a(s.ta ? Matrix::Random(s.k, s.m) : Matrix::Random(s.m, s.k)),
        b(s.tb ? Matrix::Random(s.n, s.k) : Matrix::Random(s.k, s.n)),
        c(Matrix::Zero(s.m, s.n)) {}
  void Run(const GemmShape& s) {
    if (!s.ta && !s.tb)
      c.noalias() = a * b;
    else if (!s.ta && s.tb)
      c.noalias() = a * b.transpose();
    else if (s.ta && !s.tb)
      c.noalias() = a.transpose() * b;
    else
      c.noalias() = a.transpose() * b.transpose();
  }
};

}  // namespace

std::string GemmShape::Name() const {
  return std::to_string(m) + "x" + std::to_string(k) + "x" + std::to_string(n) + " " +
         (ta ? "T" : "N") + (tb ? "T" : "N");
}

std::vector<GemmShape> StepGemms(const std::vector<int>& sizes, int cols) {
  std::vector<GemmShape> out;
  for (size_t l = 0; l + 1 < sizes.size(); ++l) {
    const int in = sizes[l], units = sizes[l + 1];
    out.push_back({units, in, cols, false, false});            // forward: z = W a
    out.push_back({units, cols, in, false, true});             // dW = d a^T
    if (l > 0) out.push_back({in, units, cols, true, false});  // da = W^T d
  }
  return out;
}

double MeasureGemm(const GemmShape& shape, int threads, double seconds) {
  std::atomic<int> ready{0};
  std::atomic<bool> go{false};
  std::vector<long> iters(threads, 0);
  std::vector<double> elapsed(threads, 0);
  auto body = [&](int t) {
    Operands op(shape);
    op.Run(shape);  // warm up: pack buffers, page in
    ready.fetch_add(1);
    while (!go.load()) std::this_thread::yield();
    const Clock::time_point t0 = Clock::now();
    long n = 0;
    double dt = 0;
    do {
      for (int r = 0; r < 4; ++r) op.Run(shape);
      n += 4;
      dt = std::chrono::duration<double>(Clock::now() - t0).count();
    } while (dt < seconds);
    iters[t] = n;
    elapsed[t] = dt;
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(body, t);
  std::thread first(body, 0);
  while (ready.load() < threads) std::this_thread::yield();
  go = true;
  first.join();
  for (auto& th : pool) th.join();
  double gflops = 0;
  for (int t = 0; t < threads; ++t) gflops += iters[t] * shape.Flops() / elapsed[t] / 1e9;
  return gflops;
}

double CombinedRate(const std::vector<GemmShape>& shapes, const std::vector<double>& gflops) {
  double flops = 0, seconds = 0;
  for (size_t i = 0; i < shapes.size(); ++i) {
    flops += shapes[i].Flops();
    seconds += shapes[i].Flops() / gflops[i];
  }
  return seconds > 0 ? flops / seconds : 0;
}

}  // namespace sweep::bench
