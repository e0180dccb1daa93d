// Deterministic synthetic data sets, named `synthetic:NAME[?key=value&...]`. Rows come in
// random order (every contiguous slice holds every class).
//
// The same name, parameters and seed give bit-identical data on every machine and compiler:
// the generators draw from base/random.h (splitmix64, Box-Muller in double precision), never
// from <random> distributions, whose output differs between standard libraries.
//
//   blobs       Gaussian clusters: one centre per class drawn uniformly in [-5, 5]^features,
//               samples = centre + noise * N(0, 1). Classes are balanced.
//               rows=1000 features=20 classes=4 noise=1.0 seed=1
//   spiral      2-D interleaved spirals (the CS231n toy problem), one arm per class, angle
//               jittered by noise * N(0, 1). Not linearly separable.
//               rows=1000 classes=3 noise=0.2 seed=1
//   regression  x ~ N(0, 1)^features, y = x . w + b + noise * N(0, 1) with w ~ N(0, 1),
//               b ~ N(0, 1). A regression target (num_classes = 0).
//               rows=1000 features=20 noise=0.1 seed=1
//   mnist       MNIST-shaped stand-in: 784 features, 10 classes. Each class has 4 smooth 28x28
//               prototypes of three soft "strokes"; a sample is a random prototype of its class,
//               shifted by up to 1 pixel, with random ink intensity and pixel noise
//               (0.3 * noise * an Irwin-Hall approximation of N(0, 1)), then standardised (mean 0,
//               variance 1 over all values) like normalised MNIST. Classes drawn uniformly at
//               random. A linear model reaches well above chance (10%) but not 100%. rows=60000
//               noise=1.0 seed=1
//   zoo         Stand-in for the UCI zoo table: 16 mostly binary features (one "legs" count in
//               {0,2,4,5,6,8}), 7 classes with the zoo's class sizes (41,20,5,13,4,8,10 of 101).
//               rows=101 seed=1
// Errors: InvalidArgument for an unknown name or parameter (listing the choices, with a
// did-you-mean) or a value out of range.
#pragma once

#include <string>
#include <vector>

#include "base/dataset.h"
#include "base/status.h"

namespace sweep::data {

inline constexpr char kSyntheticPrefix[] = "synthetic:";

// True for "synthetic:..." names.
bool IsSyntheticName(const std::string& path);

// `spec` is "synthetic:NAME[?k=v&...]" (the prefix may be omitted). Sets `source` to the spec.
StatusOr<Dataset> MakeSynthetic(const std::string& spec);

// The generator names, for help texts.
std::vector<std::string> SyntheticNames();

}  // namespace sweep::data
