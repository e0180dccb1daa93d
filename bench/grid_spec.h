// A W&B-style grid spec that expands to 10 x 10 x 10 x 10 = 10,000 rows: the "spec expansion"
// micro benchmark and the plan of the synthetic `sweep collect` storage use the same text.
#pragma once

#include <string>

namespace sweep::bench {

inline std::string Grid10kSpec() {
  std::string lr, bs, seed, width;
  for (int i = 0; i < 10; ++i) {
    const char* sep = i ? ", " : "";
    lr += sep + std::to_string(0.0001 * (i + 1));
    bs += sep + std::to_string(16 * (i + 1));
    seed += sep + std::to_string(i);
    width += std::string(sep) + "[" + std::to_string(32 * (i + 1)) + "]";
  }
  return "method: grid\n"
         "metric:\n  name: val_accuracy\n  goal: maximize\n"
         "parameters:\n"
         "  dataset:\n    value: synthetic:mnist?rows=1000\n"
         "  optimizer:\n    value: adam\n"
         "  epochs:\n    value: 3\n"
         "  validation_split:\n    value: 0.1\n"
         "  learning_rate:\n    values: [" +
         lr +
         "]\n"
         "  batch_size:\n    values: [" +
         bs +
         "]\n"
         "  hidden:\n    values: [" +
         width +
         "]\n"
         "  seed:\n    values: [" +
         seed + "]\n";
}

}  // namespace sweep::bench
