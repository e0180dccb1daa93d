#include "storage/checkpoint.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cmath>
#include <cstring>
#include <limits>

#include "base/testing.h"

namespace sweep::storage {
namespace {

model::TrainState Sample() {
  model::TrainState s;
  s.epoch = 3;
  s.batches_done = 17;
  s.steps = 117;
  s.threads = 2;
  s.train_order = {4, 2, 0, 1, 3};
  s.shuffle_state = 0x9e3779b97f4a7c15ULL;
  s.thread_loss = {1.25, 0.5};
  s.thread_accuracy = {0.75, 0.25};
  s.epoch_seconds = 0.125;
  s.params = {1.5f, -2.0f, 0.0f, 1e-30f};
  s.moment1 = {0.1f, 0.2f, 0.3f, 0.4f};
  s.moment2 = {};
  s.best_value = std::numeric_limits<double>::quiet_NaN();
  s.since_best = 1;
  s.best_epoch = 2;
  s.best_params = {1, 2, 3, 4};
  model::EpochRecord e;
  e.epoch = 1;
  e.train = {0.5, 0.875};
  e.learning_rate = 0.01;
  e.seconds = 1.5;
  s.history = {e, e};
  s.history[1].epoch = 2;
  s.seconds = 3.25;
  return s;
}

TEST(Checkpoint, RoundTripsEveryFieldBitForBit) {
  const model::TrainState s = Sample();
  const std::string bytes = EncodeCheckpoint(s, {"0123456789abcdef", R"({"resumes": []})"});
  CheckpointMeta meta;
  StatusOr<model::TrainState> back = DecodeCheckpoint(bytes, &meta);
  ASSERT_OK(back);
  EXPECT_EQ(meta.row_hash, "0123456789abcdef");
  EXPECT_EQ(meta.notes, R"({"resumes": []})");
  EXPECT_EQ(back->epoch, 3);
  EXPECT_EQ(back->batches_done, 17);
  EXPECT_EQ(back->steps, 117);
  EXPECT_EQ(back->threads, 2);
  EXPECT_EQ(back->train_order, s.train_order);
  EXPECT_EQ(back->shuffle_state, s.shuffle_state);
  EXPECT_EQ(back->thread_loss, s.thread_loss);
  EXPECT_EQ(back->thread_accuracy, s.thread_accuracy);
  EXPECT_EQ(back->params, s.params);
  EXPECT_EQ(back->moment1, s.moment1);
  EXPECT_TRUE(back->moment2.empty());
  EXPECT_TRUE(std::isnan(back->best_value));
  EXPECT_EQ(back->since_best, 1);
  EXPECT_EQ(back->best_epoch, 2);
  EXPECT_EQ(back->best_params, s.best_params);
  ASSERT_EQ(back->history.size(), 2u);
  EXPECT_EQ(back->history[1].epoch, 2);
  EXPECT_EQ(back->history[0].train.accuracy, 0.875);
  EXPECT_TRUE(std::isnan(back->history[0].val.loss));
  EXPECT_EQ(back->seconds, 3.25);
  EXPECT_EQ(EncodeCheckpoint(*back, meta), bytes);
  StatusOr<CheckpointPosition> head = PeekCheckpoint(bytes.substr(0, kCheckpointHeadBytes));
  ASSERT_OK(head);
  EXPECT_EQ(head->epoch, 3);
  EXPECT_EQ(head->batches_done, 17);
}

TEST(Checkpoint, EveryTruncationAndEveryFlippedByteIsCorruption) {
  const std::string bytes = EncodeCheckpoint(Sample(), {"h", ""});
  CheckpointMeta hash;
  for (size_t n = 0; n < bytes.size(); ++n) {
    StatusOr<model::TrainState> cut = DecodeCheckpoint(bytes.substr(0, n), &hash);
    ASSERT_FALSE(cut.ok()) << n;
    EXPECT_EQ(cut.status().code(), StatusCode::kCorruption);
  }
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::string bad = bytes;
    bad[i] = static_cast<char>(bad[i] ^ 0x40);
    StatusOr<model::TrainState> flipped = DecodeCheckpoint(bad, &hash);
    ASSERT_FALSE(flipped.ok()) << i;
    EXPECT_EQ(flipped.status().code(), StatusCode::kCorruption);
  }
}

TEST(Checkpoint, NamesAnotherFormatVersion) {
  std::string bytes = EncodeCheckpoint(Sample(), {"h", ""});
  bytes[8] = 2;  // the version follows the 8-byte magic
  CheckpointMeta hash;
  StatusOr<model::TrainState> other = DecodeCheckpoint(bytes, &hash);
  ASSERT_FALSE(other.ok());
  EXPECT_NE(other.status().message().find("format version 2, this build reads 1"),
            std::string::npos)
      << other.status().message();
}

TEST(Checkpoint, HugeCountsAreRefusedBeforeAllocating) {
  // A valid CRC over a body whose first array claims 2^60 elements.
  model::TrainState s = Sample();
  std::string bytes = EncodeCheckpoint(s, {"h", ""});
  // train_order's count sits after magic(8) version(4) hash(4+1) and the fixed fields (60 bytes).
  const size_t at = 8 + 4 + 5 + 4 + 8 + 8 + 4 + 8 + 8 + 8 + 4 + 4 + 8;
  const uint64_t huge = 1ULL << 60;
  std::memcpy(&bytes[at], &huge, 8);
  bytes.resize(bytes.size() - 4);
  uLong crc = crc32(0L, Z_NULL, 0);
  crc = crc32(crc, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(bytes.size()));
  const uint32_t c = static_cast<uint32_t>(crc);
  bytes.append(reinterpret_cast<const char*>(&c), 4);
  CheckpointMeta hash;
  StatusOr<model::TrainState> bad = DecodeCheckpoint(bytes, &hash);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "checkpoint: truncated");
}

}  // namespace
}  // namespace sweep::storage
