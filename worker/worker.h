// The array child: take row `index` of the spec, train it, publish the model and the result.
//
//   {storage}/{index}/model/model.h5   Keras-2-readable weights (storage/keras_h5.h)
//   {storage}/{index}/result.json      metrics (storage/result.h), written last
//
// Order of work: read the spec and the row, check the config, check storage writable and the
// data readable, and only then train. Bad input fails before any training and publishes
// nothing. SIGTERM/SIGINT stop training between mini-batches: a checkpoint is saved
// (worker/checkpoint.h), nothing is published, exit 143.
// A non-finite loss stops training at once: result.json alone, status "diverged" with the last
// finite epoch's metrics, and exit 0 (the same row diverges again: no engine should retry it).
#pragma once

#include <atomic>
#include <string>
#include <vector>

#include "base/status.h"

namespace sweep::worker {

struct WorkerOptions {
  int index = 0;
  int attempt = 1;
  std::string params;                  // spec path or s3:// URI
  std::string storage = "/storage";    // folder or s3://bucket/prefix
  std::vector<std::string> overrides;  // "key=value", applied to the row (sweep/spec/spec.h)
  int threads = 0;                     // 0 = the row's `threads`, else the CPU quota
  double spot_notice_s = 0;
  std::string rung;  // SWEEP_RUNG "B-R": a child of a successive-halving rung (worker/rung.h)  // >
                     // 0: poll EC2's Spot interruption notice this often (seconds)
};

// Runs one row. `stop` is set by the signal handler. The returned status decides the exit
// code (base/exit_code.h); a status of kOk means result.json was published, with model.h5
// unless it says "diverged".
Status RunWorker(const WorkerOptions& options, const std::atomic<bool>* stop);

}  // namespace sweep::worker
