// An in-memory table of samples: what the data readers (data/) produce and the model (model/)
// trains on. Plain vectors so neither side depends on the other.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sweep {

struct Dataset {
  int64_t rows = 0;      // number of samples
  int cols = 0;          // features per sample
  std::vector<float> x;  // rows * cols, row-major (sample after sample)
  std::vector<float> y;  // rows targets: class index (0..num_classes-1) or regression value
  int num_classes = 0;   // 0 for a regression target; else 1 + the largest label seen
  std::string source;    // where it came from, for messages ("zoo.csv", "synthetic:blobs")
  // What inference needs to feed the model as it was trained (copied into model.h5):
  std::vector<int> sample_shape;         // one sample's shape before flattening ({28, 28} for
                                         // IDX images); empty = {cols}
  std::vector<std::string> class_names;  // class index -> name when the labels were strings
                                         // (sorted); empty otherwise
  std::string preprocessing;  // what the reader did to the raw values, as compact JSON, e.g.
                              // {"input_dtype":"uint8","scale":0.00392156862745098}; "" = nothing
};

// A zero-filled data set of that shape (num_classes 0: a regression target).
inline Dataset ZeroDataset(int64_t rows, int cols, int num_classes) {
  Dataset d;
  d.rows = rows;
  d.cols = cols;
  d.num_classes = num_classes;
  d.x.resize(static_cast<size_t>(rows) * cols);
  d.y.resize(static_cast<size_t>(rows));
  return d;
}

}  // namespace sweep
