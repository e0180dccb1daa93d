// Which model.h5 a MODEL argument means, now: `sweep predict MODEL` and `sweep serve MODEL`.
//
//   path/to/model.h5 (or .hdf5)   that file (version: its row's index when a result.json sits
//                                 in the folder above model/, else 1)
//   ROOT/{index}                  a row folder: its result.json names the model
//   ROOT                          a sweep root: the row the policy picks
// Local folders, s3:// and gs:// prefixes alike. Policies (for a root):
//   best     the best succeeded row as `sweep collect` ranks it (the plan's metric and goal)
//   latest   the succeeded row whose result.json says it finished last (finished_at; rows
//            without it count as finished in index order, before any that have it)
//   index:N  row N, once it has succeeded
// A watcher keeps the results it has read: each Choose lists the root and reads only the
// result.json files it has not seen succeed (a published success never changes), so polling a
// 1,000-row sweep on S3 every second costs one List, not 1,000 GETs.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "storage/result.h"
#include "storage/store.h"
#include "sweep/spec/plan.h"

namespace sweep::predict {

enum class PolicyKind { kBest, kLatest, kIndex };

struct Policy {
  PolicyKind kind = PolicyKind::kBest;
  int index = -1;            // kIndex
  std::string Name() const;  // "best", "latest", "index:3"
};

// "best", "latest" or "index:N". InvalidArgument otherwise.
StatusOr<Policy> ParsePolicy(std::string_view text);

struct MetricOverride {
  std::optional<std::string> metric;  // default: the plan's, as `sweep collect`
  std::optional<bool> maximize;
};

struct ModelChoice {
  std::string model;                         // model.h5 path or URI
  std::optional<storage::RunResult> result;  // its row's record, when known
  int version = 1;
  std::string why;  // "best val_accuracy 0.9412 of 12 succeeded rows"
};

class ModelWatcher {
 public:
  // Classifies `arg` (see above). Errors: NotFound (nothing there), InvalidArgument.
  static StatusOr<std::unique_ptr<ModelWatcher>> Open(const std::string& arg, Policy policy,
                                                      MetricOverride metric = {});
  ~ModelWatcher();

  // The model the policy picks now. NotFound while no row qualifies (yet).
  StatusOr<ModelChoice> Choose();
  const Policy& policy() const { return policy_; }
  bool is_sweep_root() const { return kind_ == Kind::kRoot; }

 private:
  enum class Kind { kFile, kRow, kRoot };
  ModelWatcher(std::string arg, Kind kind, Policy policy, MetricOverride metric);
  StatusOr<ModelChoice> ChooseInRoot();
  Status Refresh();

  std::string arg_;
  Kind kind_;
  Policy policy_;
  MetricOverride metric_;
  std::unique_ptr<storage::Store> store_;
  std::map<int, storage::RunResult> succeeded_;  // read once, never again
  std::map<int, storage::RunResult> others_;     // failed: read again each time
  std::optional<Plan> plan_;                     // sweep.json, read once
  bool plan_read_ = false;
};

}  // namespace sweep::predict
