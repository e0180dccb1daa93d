#include "storage/checkpoint.h"

#include <cstring>

#include "storage/byte_codec.h"

namespace sweep::storage {
namespace {

constexpr std::string_view kMagic = "SWEEPCKP";

void PutEpoch(const model::EpochRecord& e, ByteWriter* w) {
  w->Put<int32_t>(e.epoch);
  for (double v :
       {e.train.loss, e.train.accuracy, e.val.loss, e.val.accuracy, e.learning_rate, e.seconds}) {
    w->Put<double>(v);
  }
}

model::EpochRecord GetEpoch(ByteReader* r) {
  model::EpochRecord e;
  e.epoch = r->Get<int32_t>();
  for (double* v : {&e.train.loss, &e.train.accuracy, &e.val.loss, &e.val.accuracy,
                    &e.learning_rate, &e.seconds}) {
    *v = r->Get<double>();
  }
  return e;
}

// The fields after the row hash, in file order.
void GetState(ByteReader* r, model::TrainState* s) {
  s->epoch = r->Get<int32_t>();
  s->batches_done = r->Get<int64_t>();
  s->steps = r->Get<int64_t>();
  s->threads = r->Get<int32_t>();
  s->shuffle_state = r->Get<uint64_t>();
  s->epoch_seconds = r->Get<double>();
  s->best_value = r->Get<double>();
  s->since_best = r->Get<int32_t>();
  s->best_epoch = r->Get<int32_t>();
  s->seconds = r->Get<double>();
  s->train_order = r->GetArray<int64_t>();
  s->thread_loss = r->GetArray<double>();
  s->thread_accuracy = r->GetArray<double>();
  s->params = r->GetArray<float>();
  s->moment1 = r->GetArray<float>();
  s->moment2 = r->GetArray<float>();
  s->best_params = r->GetArray<float>();
  const uint64_t epochs = r->Get<uint64_t>();
  constexpr size_t kEpochBytes = sizeof(int32_t) + 6 * sizeof(double);
  if (!r->ok() || epochs > r->left() / kEpochBytes) return (void)r->GetArray<char>();
  for (uint64_t i = 0; i < epochs; ++i) s->history.push_back(GetEpoch(r));
}

// Cross-field checks: a file that passes them can be handed to Train without a crash.
Status CheckShape(const model::TrainState& s) {
  if (s.epoch < 1 || s.batches_done < 0 || s.steps < 0 || s.threads < 1) {
    return Status::Corruption("checkpoint: position out of range");
  }
  if (s.thread_loss.size() != static_cast<size_t>(s.threads) ||
      s.thread_accuracy.size() != s.thread_loss.size()) {
    return Status::Corruption("checkpoint: per-thread sums do not match the thread count");
  }
  const size_t n = s.params.size();
  if ((!s.moment1.empty() && s.moment1.size() != n) ||
      (!s.moment2.empty() && s.moment2.size() != n) ||
      (!s.best_params.empty() && s.best_params.size() != n)) {
    return Status::Corruption("checkpoint: moment or best-weight sizes differ from the weights'");
  }
  return Status::Ok();
}

}  // namespace

std::string EncodeCheckpoint(const model::TrainState& s, const CheckpointMeta& meta) {
  ByteWriter w;
  w.PutRaw(kMagic);
  w.Put<uint32_t>(kCheckpointFormatVersion);
  w.PutBytes(meta.row_hash);
  w.Put<int32_t>(s.epoch);
  w.Put<int64_t>(s.batches_done);
  w.Put<int64_t>(s.steps);
  w.Put<int32_t>(s.threads);
  w.Put<uint64_t>(s.shuffle_state);
  w.Put<double>(s.epoch_seconds);
  w.Put<double>(s.best_value);
  w.Put<int32_t>(s.since_best);
  w.Put<int32_t>(s.best_epoch);
  w.Put<double>(s.seconds);
  w.PutArray(s.train_order);
  w.PutArray(s.thread_loss);
  w.PutArray(s.thread_accuracy);
  w.PutArray(s.params);
  w.PutArray(s.moment1);
  w.PutArray(s.moment2);
  w.PutArray(s.best_params);
  w.Put<uint64_t>(s.history.size());
  for (const model::EpochRecord& e : s.history) PutEpoch(e, &w);
  w.PutBytes(meta.notes);
  return w.Finish();
}

StatusOr<model::TrainState> DecodeCheckpoint(std::string_view bytes, CheckpointMeta* meta) {
  if (bytes.size() < kMagic.size() + 8 || bytes.substr(0, kMagic.size()) != kMagic) {
    return Status::Corruption("checkpoint: not a checkpoint file");
  }
  ByteReader r(bytes.substr(kMagic.size()));
  const uint32_t version = r.Get<uint32_t>();
  if (version != kCheckpointFormatVersion) {
    return Status::Corruption("checkpoint: format version " + std::to_string(version) +
                              ", this build reads " + std::to_string(kCheckpointFormatVersion));
  }
  uint32_t stored_crc = 0;
  std::memcpy(&stored_crc, bytes.data() + bytes.size() - 4, 4);
  if (ByteWriter::Crc(bytes.substr(0, bytes.size() - 4)) != stored_crc) {
    return Status::Corruption("checkpoint: checksum mismatch (torn or damaged file)");
  }
  ByteReader body(bytes.substr(kMagic.size() + 4, bytes.size() - kMagic.size() - 8));
  meta->row_hash = body.GetBytes();
  model::TrainState state;
  GetState(&body, &state);
  meta->notes = body.GetBytes();
  if (!body.ok()) return Status::Corruption("checkpoint: truncated");
  if (body.left() != 0) return Status::Corruption("checkpoint: trailing bytes");
  SWEEP_RETURN_IF_ERROR(CheckShape(state));
  return state;
}

StatusOr<CheckpointPosition> PeekCheckpoint(std::string_view head) {
  if (head.size() < kMagic.size() || head.substr(0, kMagic.size()) != kMagic) {
    return Status::Corruption("checkpoint: not a checkpoint file");
  }
  ByteReader r(head.substr(kMagic.size()));
  if (r.Get<uint32_t>() != kCheckpointFormatVersion) {
    return Status::Corruption("checkpoint: another format version");
  }
  r.GetBytes();
  CheckpointPosition p;
  p.epoch = r.Get<int32_t>();
  p.batches_done = r.Get<int64_t>();
  if (!r.ok()) return Status::Corruption("checkpoint: truncated");
  return p;
}

}  // namespace sweep::storage
