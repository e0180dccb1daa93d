#include "sweep/results/publish_best.h"

#include <cmath>
#include <ctime>
#include <nlohmann/json.hpp>

#include "storage/layout.h"
#include "storage/store.h"

namespace sweep {

std::string BestInfoJson(const Scan& scan, int index, const MetricChoice& metric, std::time_t now) {
  const RowRecord& row = scan.rows[index];
  nlohmann::json j = {{"format_version", kBestInfoFormatVersion},
                      {"index", index},
                      {"metric", metric.name},
                      {"goal", metric.maximize ? "max" : "min"},
                      {"value", nullptr},
                      {"params", row.result ? row.result->params : nlohmann::json::object()},
                      {"source", ModelPathOf(scan, index)},
                      {"published_at", FormatUtc(now, "%Y-%m-%dT%H:%M:%SZ")}};
  if (std::optional<double> v = MetricOf(row, metric.name)) j["value"] = *v;
  return j.dump(2) + "\n";
}

StatusOr<int> PublishBest(const Scan& scan, const Leaderboard& board) {
  if (board.order.empty() || scan.rows[board.order.front()].state != RowState::kSucceeded) {
    return Status::NotFound(scan.root + ": no row has succeeded: nothing to publish as best");
  }
  const int index = board.order.front();
  const std::string source = ModelPathOf(scan, index);
  SWEEP_ASSIGN_OR_RETURN(std::unique_ptr<storage::Store> store, storage::OpenStore(scan.root));
  StatusOr<std::string> local = storage::FetchInput(source);
  if (!local.ok()) return local.status().WithContext("publish best: " + source);
  const std::string model_key = storage::BestModelPath("");
  SWEEP_RETURN_IF_ERROR(store->PutFile(model_key, *local)
                            .WithContext("publish best: " + storage::BestModelPath(scan.root)));
  const std::string info = BestInfoJson(scan, index, board.metric, std::time(nullptr));
  SWEEP_RETURN_IF_ERROR(store->Put(storage::BestInfoPath(""), info)
                            .WithContext("publish best: " + storage::BestInfoPath(scan.root)));
  return index;
}

}  // namespace sweep
