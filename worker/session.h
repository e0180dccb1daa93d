// What a worker process loads once and every row it trains shares: the spec (read, parsed and
// overridden once), the storage root (opened and checked writable once), Vertex AI's folders,
// and each data set it reads (read once, kept for the next row that names it). A plain child
// trains one row with it; a packed child (worker/worker.h, SWEEP_PACK) several.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/dataset.h"
#include "base/status.h"
#include "model/config.h"
#include "storage/store.h"
#include "sweep/spec/spec.h"
#include "worker/rung.h"
#include "worker/vertex.h"

namespace sweep::worker {

class Session {
 public:
  // Reads the spec (local, s3:// or gs://) with `overrides` applied and opens `storage_uri`
  // (no I/O on the store yet). Errors: what LoadSpec and OpenStore return.
  static StatusOr<std::unique_ptr<Session>> Open(const std::string& params,
                                                 const std::vector<std::string>& overrides,
                                                 const std::string& storage_uri);

  const Spec& spec() const { return spec_; }
  storage::Store& store() { return *store_; }
  // Vertex AI's checkpoint folder when there is one, else the storage root.
  storage::Store& checkpoint_store() {
    return vertex_.checkpoints ? *vertex_.checkpoints : *store_;
  }
  const VertexStores& vertex_stores() const { return vertex_; }

  // Storage writable and Vertex AI's folders open: once per process, before the first data
  // set is read. Errors: what CheckWritable and OpenVertexStores return.
  Status Prepare(const VertexTraining& vertex);

  // Rung `rung` ("B-R") of the spec's halving, resolved on first use (ResolveRung): a pack's
  // slots share one read of its promotion file.
  StatusOr<const ResolvedRung*> Rung(const std::string& rung);
  // The rows of TPE wave `wave` (search::WaveRows), read or proposed on first use.
  StatusOr<const std::vector<nlohmann::json>*> WaveRows(int wave);

  // The row's training set, read on first use (s3:// and gs:// through the input cache).
  StatusOr<const Dataset*> TrainData(const model::TrainConfig& config);
  // The row's test set checked against `train` (shape, class names), or nullptr without one.
  // One checked copy per test set and training set, shared by the rows of a pack. `index`
  // names the row in errors.
  StatusOr<const Dataset*> TestData(const model::TrainConfig& config, const Dataset& train,
                                    int index);

 private:
  Session() = default;
  // `fresh`: read now, not found in the cache.
  StatusOr<const Dataset*> Read(const std::string& path, const model::TrainConfig& config,
                                bool* fresh);

  Spec spec_;
  std::unique_ptr<storage::Store> store_;
  std::string storage_uri_;
  VertexStores vertex_;
  bool prepared_ = false;
  std::map<std::string, std::unique_ptr<Dataset>> data_;  // by resolved path, kind, skip_rows
  std::map<std::string, ResolvedRung> rungs_;
  std::map<int, std::vector<nlohmann::json>> waves_;
  // TestData's checked copies, by (test set as read, training set).
  std::map<std::pair<const Dataset*, const Dataset*>, std::unique_ptr<Dataset>> checked_tests_;
};

// skip_rows must name CSV inputs: checked for the row's dataset and test_dataset before either
// is fetched or read.
Status CheckReadOptions(const model::TrainConfig& config, const std::string& base_dir);

}  // namespace sweep::worker
