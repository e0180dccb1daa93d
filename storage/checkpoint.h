// {storage}/{index}/checkpoint/checkpoint.bin (storage/layout.h CheckpointPath): a training run
// paused at a mini-batch boundary (model/train_state.h), written atomically like every other
// file, so a worker stopped by Spot (SIGTERM) or killed (SIGKILL) resumes where it left off.
//
// Binary, the host's byte order (little-endian on x86-64 and arm64), format version 1:
//   "SWEEPCKP"                     8 bytes
//   u32 format_version             1
//   u32 n, n bytes                 the row's RowHash: a changed row never resumes from it
//   i32 epoch, i64 batches_done, i64 steps, i32 threads, u64 shuffle_state, f64 epoch_seconds,
//   f64 best_value, i32 since_best, i32 best_epoch, f64 seconds
//   arrays, each u64 count then the elements:
//     train_order (i64), thread_loss (f64), thread_accuracy (f64),
//     params (f32), moment1 (f32), moment2 (f32), best_params (f32)
//   u64 count, then per finished epoch: i32 epoch, f64 train loss, train accuracy, val loss,
//     val accuracy, learning_rate, seconds
//   u32 n, n bytes                 notes: the worker's JSON (its earlier resumes)
//   u32 CRC-32 (zlib's) of every byte before it
// A file of another version, a torn or corrupt file (the CRC), or another row's file is
// refused with Corruption; the worker then warns and starts over.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "model/train_state.h"

namespace sweep::storage {

inline constexpr int kCheckpointFormatVersion = 1;

// What the worker keeps beside the training state.
struct CheckpointMeta {
  std::string row_hash;  // RowHash of the row trained
  std::string notes;     // opaque to this file (the worker's JSON)
};

std::string EncodeCheckpoint(const model::TrainState& state, const CheckpointMeta& meta);

// Never throws; every count is checked against the bytes left before anything is allocated.
// Errors: Corruption naming what is wrong ("not a checkpoint", "format version 2, this build
// reads 1", "checksum mismatch", "truncated").
StatusOr<model::TrainState> DecodeCheckpoint(std::string_view bytes, CheckpointMeta* meta);

// Where a checkpoint stands, read from its first bytes only (`sweep status`): no checksum.
struct CheckpointPosition {
  int epoch = 0;             // the epoch in progress, 1-based
  int64_t batches_done = 0;  // of that epoch
};
// Needs the first kCheckpointHeadBytes (or the whole file when shorter). Errors: Corruption.
inline constexpr size_t kCheckpointHeadBytes = 8 + 4 + 4 + 64 + 4 + 8;  // row hashes are 16
StatusOr<CheckpointPosition> PeekCheckpoint(std::string_view head);

}  // namespace sweep::storage
