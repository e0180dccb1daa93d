#include "worker/session.h"

#include <fmt/format.h>

#include "base/log.h"
#include "data/class_names.h"
#include "data/dataset_reader.h"
#include "sweep/search/tpe_waves.h"

namespace sweep::worker {
namespace {

data::TargetKind KindOf(const model::TrainConfig& config) {
  return config.network.loss == model::Loss::kMse ? data::TargetKind::kRegression
                                                  : data::TargetKind::kClassLabels;
}

}  // namespace

StatusOr<std::unique_ptr<Session>> Session::Open(const std::string& params,
                                                 const std::vector<std::string>& overrides,
                                                 const std::string& storage_uri) {
  std::unique_ptr<Session> s(new Session());
  SWEEP_ASSIGN_OR_RETURN(s->spec_, LoadSpec(params, overrides));
  SWEEP_ASSIGN_OR_RETURN(s->store_, storage::OpenStore(storage_uri));
  s->storage_uri_ = storage_uri;
  return s;
}

Status Session::Prepare(const VertexTraining& vertex) {
  if (prepared_) return Status::Ok();
  SWEEP_RETURN_IF_ERROR(store_->CheckWritable().WithContext("storage " + storage_uri_));
  SWEEP_ASSIGN_OR_RETURN(vertex_, OpenVertexStores(vertex));
  prepared_ = true;
  return Status::Ok();
}

StatusOr<const Dataset*> Session::Read(const std::string& path, const model::TrainConfig& config,
                                       bool* fresh) {
  const std::string resolved = ResolveDataPath(path, spec_.base_dir);
  const data::TargetKind kind = KindOf(config);
  const std::string key =
      fmt::format("{}\n{}\n{}", resolved, static_cast<int>(kind), config.data.skip_rows);
  *fresh = false;
  if (auto it = data_.find(key); it != data_.end()) return it->second.get();
  *fresh = true;
  SWEEP_ASSIGN_OR_RETURN(std::string local, storage::FetchInput(resolved));
  SWEEP_ASSIGN_OR_RETURN(Dataset d,
                         data::ReadDataset(local, kind, data::ReadOptions{config.data.skip_rows}));
  auto [it, inserted] = data_.emplace(key, std::make_unique<Dataset>(std::move(d)));
  return it->second.get();
}

StatusOr<const ResolvedRung*> Session::Rung(const std::string& rung) {
  if (auto it = rungs_.find(rung); it != rungs_.end()) return &it->second;
  SWEEP_ASSIGN_OR_RETURN(ResolvedRung resolved, ResolveRung(rung, spec_, *store_));
  return &rungs_.emplace(rung, std::move(resolved)).first->second;
}

StatusOr<const std::vector<nlohmann::json>*> Session::WaveRows(int wave) {
  if (auto it = waves_.find(wave); it != waves_.end()) return &it->second;
  SWEEP_ASSIGN_OR_RETURN(std::vector<nlohmann::json> rows, search::WaveRows(*store_, spec_, wave));
  return &waves_.emplace(wave, std::move(rows)).first->second;
}

StatusOr<const Dataset*> Session::TrainData(const model::TrainConfig& config) {
  bool fresh = false;
  SWEEP_ASSIGN_OR_RETURN(const Dataset* train, Read(config.data.dataset, config, &fresh));
  // Labels 1..7 train an 8-unit output whose class 0 no row teaches: say so, and train anyway.
  if (fresh) {
    if (std::string unseen = data::UnseenClassesWarning(*train); !unseen.empty()) log::Warn(unseen);
  }
  return train;
}

StatusOr<const Dataset*> Session::TestData(const model::TrainConfig& config, const Dataset& train,
                                           int index) {
  if (config.data.test_dataset.empty()) return nullptr;
  bool fresh = false;
  auto loaded = Read(config.data.test_dataset, config, &fresh);
  if (!loaded.ok()) return loaded.status().WithContext(fmt::format("row {}: test_dataset", index));
  const auto key = std::make_pair(*loaded, &train);
  if (auto it = checked_tests_.find(key); it != checked_tests_.end()) return it->second.get();
  auto test = std::make_unique<Dataset>(**loaded);  // remapped to this training set's classes
  if (test->cols != train.cols) {
    return Status::InvalidArgument(
        fmt::format("row {}: test_dataset {} has {} features, dataset {} has {}", index,
                    test->source, test->cols, train.source, train.cols));
  }
  if (train.num_classes > 0) {
    Status named = data::RemapClasses(test.get(), train.class_names);
    if (!named.ok()) return named.WithContext(fmt::format("row {}: test_dataset", index));
    if (test->num_classes > train.num_classes) {
      return Status::InvalidArgument(
          fmt::format("row {}: test_dataset {} has labels up to {} but dataset {} has {} classes",
                      index, test->source, test->num_classes - 1, train.source, train.num_classes));
    }
    test->num_classes = train.num_classes;
  }
  return checked_tests_.emplace(key, std::move(test)).first->second.get();
}

Status CheckReadOptions(const model::TrainConfig& config, const std::string& base_dir) {
  const data::ReadOptions options{config.data.skip_rows};
  SWEEP_RETURN_IF_ERROR(
      data::CheckReadOptions(ResolveDataPath(config.data.dataset, base_dir), options)
          .WithContext("dataset"));
  if (config.data.test_dataset.empty()) return Status::Ok();
  return data::CheckReadOptions(ResolveDataPath(config.data.test_dataset, base_dir), options)
      .WithContext("test_dataset");
}

}  // namespace sweep::worker
