#include "worker/checkpoint.h"

#include <fmt/format.h>

#include <chrono>

#include "base/log.h"
#include "storage/checkpoint.h"
#include "storage/layout.h"

namespace sweep::worker {

RowCheckpoint::RowCheckpoint(storage::Store* store, int index, std::string row_hash, int attempt)
    : store_(store), index_(index), row_hash_(std::move(row_hash)), attempt_(attempt) {}

std::string RowCheckpoint::Path() const { return storage::CheckpointPath("", index_); }

Status RowCheckpoint::Load() {
  StatusOr<std::string> bytes = store_->Get(Path());
  if (!bytes.ok()) {
    if (bytes.status().code() == StatusCode::kNotFound) return Status::Ok();
    if (bytes.status().code() == StatusCode::kUnavailable) {
      return bytes.status().WithContext("read checkpoint");
    }
    log::Warn(fmt::format("ignoring {}: {}; training starts over",
                          storage::CheckpointPath(store_->root(), index_),
                          bytes.status().message()));
    return Status::Ok();
  }
  storage::CheckpointMeta meta;
  StatusOr<model::TrainState> state = storage::DecodeCheckpoint(*bytes, &meta);
  const std::string path = storage::CheckpointPath(store_->root(), index_);
  if (!state.ok()) {
    log::Warn(fmt::format("ignoring {}: {}; training starts over", path, state.status().message()));
    return Status::Ok();
  }
  if (meta.row_hash != row_hash_) {
    log::Warn(
        fmt::format("ignoring {}: written for another version of row {} (row hash {}, now "
                    "{}); training starts over",
                    path, index_, meta.row_hash, row_hash_));
    return Status::Ok();
  }
  nlohmann::json notes = nlohmann::json::parse(meta.notes, nullptr, false);
  if (notes.is_object() && notes.contains("resumes") && notes["resumes"].is_array()) {
    resumes_ = notes["resumes"];
  }
  resumes_.push_back(
      {{"attempt", attempt_}, {"epoch", state->epoch}, {"step", state->batches_done}});
  log::Info(fmt::format("resuming row {} from epoch {} step {} (attempt {})", index_, state->epoch,
                        state->batches_done, attempt_));
  state_ = std::move(state).value();
  return Status::Ok();
}

void RowCheckpoint::Discard(const std::string& why) {
  log::Warn(fmt::format("ignoring {}: {}; training starts over",
                        storage::CheckpointPath(store_->root(), index_), why));
  state_.reset();
  resumes_.erase(resumes_.size() - 1);
}

void RowCheckpoint::Save(const model::TrainState& state) {
  const auto t0 = std::chrono::steady_clock::now();
  const std::string bytes =
      storage::EncodeCheckpoint(state, {row_hash_, nlohmann::json{{"resumes", resumes_}}.dump()});
  Status st = store_->Put(Path(), bytes);
  if (!st.ok()) {
    log::Warn(fmt::format("checkpoint of row {} not saved: {}", index_, st.message()));
    return;
  }
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  log::Info(fmt::format("checkpoint: epoch {} step {} ({:.1f} MB, {:.0f} ms)", state.epoch,
                        state.batches_done, bytes.size() / 1e6, ms));
}

void RowCheckpoint::Remove() {
  if (Status st = store_->Delete(Path()); !st.ok()) {
    log::Warn(fmt::format("checkpoint of row {} not removed: {}", index_, st.message()));
  }
}

}  // namespace sweep::worker
