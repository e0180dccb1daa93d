#include "sweep/predict/model_source.h"

#include <algorithm>
#include <filesystem>

#include "base/strings.h"
#include "storage/layout.h"
#include "sweep/results/leaderboard.h"
#include "sweep/results/scan.h"
#include "sweep/spec/plan.h"

namespace sweep::predict {
namespace {

bool IsModelFileName(const std::string& arg) {
  return EndsWith(arg, ".h5") || EndsWith(arg, ".hdf5");
}

// The index of a key "{index}/result.json", or nullopt for any other key.
std::optional<int> ResultKeyIndex(const std::string& key) {
  const size_t slash = key.find('/');
  if (slash == std::string::npos) return std::nullopt;
  std::optional<int64_t> i = ParseInt(std::string_view(key).substr(0, slash), 0, 1 << 30);
  if (!i || key != storage::ResultPath("", static_cast<int>(*i))) return std::nullopt;
  return static_cast<int>(*i);
}

StatusOr<storage::RunResult> ReadResult(storage::Store& store, const std::string& key) {
  SWEEP_ASSIGN_OR_RETURN(std::string text, store.Get(key));
  StatusOr<storage::RunResult> r = storage::ParseResult(text);
  if (!r.ok()) {
    return Status::Corruption(storage::JoinPath(store.root(), key) + ": " + r.status().message());
  }
  return r;
}

ModelChoice ChoiceOf(const std::string& root, const storage::RunResult& r, std::string why) {
  return {storage::JoinPath(storage::IndexDir(root, r.index), r.model), r, r.index, std::move(why)};
}

// Later finished first: finished_at, then index (rows without finished_at are oldest).
bool FinishedBefore(const storage::RunResult& a, const storage::RunResult& b) {
  if (a.finished_at != b.finished_at) return a.finished_at < b.finished_at;
  return a.index < b.index;
}

}  // namespace

std::string Policy::Name() const {
  switch (kind) {
    case PolicyKind::kBest:
      return "best";
    case PolicyKind::kLatest:
      return "latest";
    case PolicyKind::kIndex:
      return "index:" + std::to_string(index);
  }
  return "?";
}

StatusOr<Policy> ParsePolicy(std::string_view text) {
  if (text == "best") return Policy{PolicyKind::kBest, -1};
  if (text == "latest") return Policy{PolicyKind::kLatest, -1};
  if (text.starts_with("index:")) {
    if (std::optional<int64_t> i = ParseInt(text.substr(6), 0, 1 << 30)) {
      return Policy{PolicyKind::kIndex, static_cast<int>(*i)};
    }
  }
  return Status::InvalidArgument("--policy '" + std::string(text) +
                                 "': use best, latest or index:N (a row index)");
}

ModelWatcher::ModelWatcher(std::string arg, Kind kind, Policy policy, MetricOverride metric)
    : arg_(std::move(arg)), kind_(kind), policy_(policy), metric_(std::move(metric)) {}

ModelWatcher::~ModelWatcher() = default;

StatusOr<std::unique_ptr<ModelWatcher>> ModelWatcher::Open(const std::string& arg, Policy policy,
                                                           MetricOverride metric) {
  std::string root = arg;
  while (root.size() > 1 && root.back() == '/') root.pop_back();
  if (!storage::IsRemoteUri(root) && !std::filesystem::exists(root)) {
    return Status::NotFound(root +
                            ": no such file or folder (a model.h5, a row folder or a sweep "
                            "root)");
  }
  if (!storage::IsRemoteUri(root) && !IsModelFileName(root) &&
      !std::filesystem::is_directory(root)) {
    return Status::InvalidArgument(root +
                                   ": not a model.h5 (*.h5, *.hdf5), a row folder or a sweep root");
  }
  Kind kind = Kind::kRoot;
  std::unique_ptr<storage::Store> store;
  if (IsModelFileName(root)) {
    kind = Kind::kFile;
  } else {
    SWEEP_ASSIGN_OR_RETURN(store, storage::OpenStore(root));
    StatusOr<std::string> own = store->Get(std::string(storage::kResultFile));
    if (own.ok()) kind = Kind::kRow;
    if (!own.ok() && own.status().code() != StatusCode::kNotFound) return own.status();
  }
  auto w = std::unique_ptr<ModelWatcher>(new ModelWatcher(root, kind, policy, metric));
  w->store_ = std::move(store);
  return w;
}

StatusOr<ModelChoice> ModelWatcher::Choose() {
  if (kind_ == Kind::kFile) {
    ModelChoice c{arg_, std::nullopt, 1, "the file " + arg_};
    // ROOT/{index}/model/model.h5: the row's result.json gives the version and the metrics.
    if (const std::string row = storage::IndexDirOfModel(arg_); !row.empty()) {
      if (StatusOr<std::unique_ptr<storage::Store>> s = storage::OpenStore(row); s.ok()) {
        if (auto r = ReadResult(**s, std::string(storage::kResultFile)); r.ok()) {
          c.result = *r;
          c.version = r->index;
        }
      }
    }
    return c;
  }
  if (kind_ == Kind::kRow) {
    SWEEP_ASSIGN_OR_RETURN(storage::RunResult r,
                           ReadResult(*store_, std::string(storage::kResultFile)));
    if (!r.succeeded()) {
      return Status::NotFound(arg_ + ": row " + std::to_string(r.index) + " " +
                              std::string(storage::ResultStatusName(r.status)) +
                              " and has no model: " + r.error);
    }
    return ModelChoice{storage::JoinPath(arg_, r.model), r, r.index, "row " + arg_};
  }
  return ChooseInRoot();
}

Status ModelWatcher::Refresh() {
  SWEEP_ASSIGN_OR_RETURN(std::vector<std::string> keys, store_->List(""));
  others_.clear();
  for (const std::string& key : keys) {
    std::optional<int> index = ResultKeyIndex(key);
    if (!index || succeeded_.count(*index)) continue;
    StatusOr<storage::RunResult> r = ReadResult(*store_, key);
    if (!r.ok()) continue;  // half-written by another writer or foreign: not a candidate
    (r->succeeded() ? succeeded_ : others_)[*index] = std::move(*r);
  }
  return Status::Ok();
}

StatusOr<ModelChoice> ModelWatcher::ChooseInRoot() {
  SWEEP_RETURN_IF_ERROR(Refresh());
  const std::string none =
      arg_ + ": no row has succeeded yet (" + std::to_string(others_.size()) + " failed)";
  if (policy_.kind == PolicyKind::kIndex) {
    auto it = succeeded_.find(policy_.index);
    if (it == succeeded_.end()) {
      return Status::NotFound(arg_ + ": row " + std::to_string(policy_.index) +
                              " has not succeeded (yet)");
    }
    return ChoiceOf(arg_, it->second, "row " + std::to_string(policy_.index));
  }
  if (succeeded_.empty()) return Status::NotFound(none);
  if (policy_.kind == PolicyKind::kLatest) {
    auto it = std::max_element(succeeded_.begin(), succeeded_.end(),
                               [](auto& a, auto& b) { return FinishedBefore(a.second, b.second); });
    return ChoiceOf(arg_, it->second, "the latest finished row");
  }
  // Best: rank as `sweep collect` does, over a scan made of what is cached.
  Scan scan;
  scan.root = arg_;
  if (!plan_read_) {
    if (StatusOr<std::optional<Plan>> plan = ReadPlan(*store_); plan.ok()) plan_ = *plan;
    plan_read_ = true;
  }
  scan.plan = plan_;
  scan.expected = std::max(scan.plan ? scan.plan->count() : 0, succeeded_.rbegin()->first + 1);
  scan.rows.resize(scan.expected);
  for (const auto& [i, r] : succeeded_) {
    scan.rows[i].state = RowState::kSucceeded;
    scan.rows[i].result = r;
  }
  const MetricChoice metric = ChooseMetric(metric_.metric, metric_.maximize, scan);
  const Leaderboard board = BuildLeaderboard(scan, metric);
  const storage::RunResult& best = succeeded_.at(board.order.front());
  std::string why = "the best of " + std::to_string(succeeded_.size()) + " succeeded rows by " +
                    (metric.maximize ? "max " : "min ") + metric.name;
  return ChoiceOf(arg_, best, std::move(why));
}

}  // namespace sweep::predict
