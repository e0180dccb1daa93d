// The array child: take row `index` of the spec, train it, publish the model and the result.
//
//   {storage}/{index}/model/model.h5   Keras-2-readable weights (storage/keras_h5.h)
//   {storage}/{index}/result.json      metrics (storage/result.h), written last
//
// Order of work: read the spec and the row, check the config, check storage writable and the
// data readable, and only then train. Bad input fails before any training and publishes
// nothing. SIGTERM/SIGINT stop training between mini-batches: a checkpoint is saved
// (worker/checkpoint.h), nothing is published, exit 143.
// Vertex AI (worker/vertex.h): with AIP_MODEL_DIR the published row is also exported there;
// AIP_CHECKPOINT_DIR holds the checkpoints; a tuning trial reports its metric after publishing.
// A non-finite loss stops training at once: result.json alone, status "diverged" with the last
// finite epoch's metrics, and exit 0 (the same row diverges again: no engine should retry it).
#pragma once

#include <atomic>
#include <string>
#include <vector>

#include "base/status.h"
#include "worker/vertex.h"

namespace sweep::worker {

struct WorkerOptions {
  int index = 0;  // the result's index: {storage}/{index}/...
  int row = -1;   // the spec row to train; -1 = `index` (a tuning trial trains one row per trial)
  int attempt = 1;
  std::string params;                  // spec path, s3:// or gs:// URI
  std::string storage = "/storage";    // folder, s3:// or gs://bucket/prefix
  std::vector<std::string> overrides;  // "key=value", applied to the row (sweep/spec/spec.h)
  int threads = 0;                     // 0 = the row's `threads`, else the CPU quota
  double spot_notice_s = 0;  // > 0: poll EC2's Spot interruption notice this often (seconds)
  VertexTraining vertex;     // Vertex AI's model and checkpoint folders, tuning trial
  std::string rung;  // SWEEP_RUNG "B-R": a child of a successive-halving rung (worker/rung.h)
};

// Runs one row. `stop` is set by the signal handler. The returned status decides the exit
// code (base/exit_code.h); a status of kOk means result.json was published, with model.h5
// unless it says "diverged".
Status RunWorker(const WorkerOptions& options, const std::atomic<bool>* stop);

// Packed rows (SWEEP_PACK=K): one process trains the rows (for a rung's child: the rung
// positions) `indices` one after another, reading and parsing the spec once, opening storage
// once and reading each data set once; each row publishes exactly as RunWorker would. A row
// whose result.json already says succeeded or diverged is skipped (a retried pack redoes only
// what is missing); slots past the spec's (or rung's) end are dropped, except the first, which
// fails as RunWorker does. A failed row does not stop the others: the pack returns the first
// failure (or the first an engine retries, exit 75) once every row was tried, with
// "F of N packed rows failed". SIGTERM stops the pack at the current row (checkpointed,
// Cancelled: exit 143). Requires indices non-empty.
Status RunPack(const WorkerOptions& options, const std::vector<int>& indices,
               const std::atomic<bool>* stop);

}  // namespace sweep::worker
