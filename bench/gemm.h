// The sgemm limit at the model's shapes: Eigen float GEMMs timed the way the trainer runs them.
//
// The trainer (model/train.cc) splits each mini-batch across T threads and every thread runs the
// whole forward/backward pass on its slice, so the GEMMs of one step at T threads are the
// 1-thread GEMMs of batch/T samples running on T cores at once. MeasureGemm does exactly that:
// T threads, each with its own operands, looping the same product for `seconds`.
#pragma once

#include <string>
#include <vector>

namespace sweep::bench {

struct GemmShape {
  int m = 0, k = 0, n = 0;      // C (m x n) = op(A) (m x k) * op(B) (k x n), column-major
  bool ta = false, tb = false;  // op = transpose (A stored k x m / B stored n x k)
  double Flops() const { return 2.0 * m * k * n; }
  std::string Name() const;  // "128x784x64 NN"
};

// The GEMMs of one forward + backward step of an MLP with layer widths `sizes` (inputs first)
// on a slice of `cols` samples: per layer z = W a (NN), dW = d a^T (NT), and for every layer
// but the first da = W^T d (TN).
std::vector<GemmShape> StepGemms(const std::vector<int>& sizes, int cols);

// GFLOP/s summed over `threads` threads each running `shape` concurrently for ~`seconds`.
double MeasureGemm(const GemmShape& shape, int threads, double seconds);

// Flop-weighted harmonic mean: the rate at which the whole list runs.
double CombinedRate(const std::vector<GemmShape>& shapes, const std::vector<double>& gflops);

}  // namespace sweep::bench
