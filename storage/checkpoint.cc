#include "storage/checkpoint.h"

#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <type_traits>

namespace sweep::storage {
namespace {

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "checkpoints are little-endian");

constexpr std::string_view kMagic = "SWEEPCKP";

class Writer {
 public:
  template <typename T>
  void Put(T value) {
    static_assert(std::is_trivially_copyable_v<T>);
    out_.append(reinterpret_cast<const char*>(&value), sizeof(T));
  }
  template <typename T>
  void PutArray(const std::vector<T>& values) {
    Put<uint64_t>(values.size());
    out_.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
  }
  void PutRaw(std::string_view s) { out_.append(s); }
  void PutBytes(std::string_view s) {
    Put<uint32_t>(static_cast<uint32_t>(s.size()));
    out_.append(s);
  }
  std::string Finish() {
    Put<uint32_t>(Crc(out_));
    return std::move(out_);
  }
  static uint32_t Crc(std::string_view s) {
    uLong crc = crc32(0L, Z_NULL, 0);
    // zlib takes uInt lengths: feed it in pieces below 4 GiB.
    for (size_t i = 0; i < s.size(); i += 1u << 30) {
      const size_t n = std::min<size_t>(1u << 30, s.size() - i);
      crc = crc32(crc, reinterpret_cast<const Bytef*>(s.data() + i), static_cast<uInt>(n));
    }
    return static_cast<uint32_t>(crc);
  }

 private:
  std::string out_;
};

// Reads what Writer wrote; after the first short read every Get fails and ok() is false.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool ok() const { return ok_; }
  size_t left() const { return in_.size() - pos_; }

  template <typename T>
  T Get() {
    T value{};
    if (!Take(&value, sizeof(T))) return T{};
    return value;
  }
  template <typename T>
  std::vector<T> GetArray() {
    const uint64_t n = Get<uint64_t>();
    if (!ok_ || n > left() / sizeof(T)) {
      ok_ = false;
      return {};
    }
    std::vector<T> values(n);
    Take(values.data(), n * sizeof(T));
    return values;
  }
  std::string GetBytes() {
    const uint32_t n = Get<uint32_t>();
    if (!ok_ || n > left()) {
      ok_ = false;
      return {};
    }
    std::string s(in_.substr(pos_, n));
    pos_ += n;
    return s;
  }

 private:
  bool Take(void* out, size_t n) {
    if (!ok_ || n > left()) {
      ok_ = false;
      return false;
    }
    if (n > 0) std::memcpy(out, in_.data() + pos_, n);
    pos_ += n;
    return true;
  }
  std::string_view in_;
  size_t pos_ = 0;
  bool ok_ = true;
};

void PutEpoch(const model::EpochRecord& e, Writer* w) {
  w->Put<int32_t>(e.epoch);
  for (double v :
       {e.train.loss, e.train.accuracy, e.val.loss, e.val.accuracy, e.learning_rate, e.seconds}) {
    w->Put<double>(v);
  }
}

model::EpochRecord GetEpoch(Reader* r) {
  model::EpochRecord e;
  e.epoch = r->Get<int32_t>();
  for (double* v : {&e.train.loss, &e.train.accuracy, &e.val.loss, &e.val.accuracy,
                    &e.learning_rate, &e.seconds}) {
    *v = r->Get<double>();
  }
  return e;
}

// The fields after the row hash, in file order.
void GetState(Reader* r, model::TrainState* s) {
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
  Writer w;
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
  Reader r(bytes.substr(kMagic.size()));
  const uint32_t version = r.Get<uint32_t>();
  if (version != kCheckpointFormatVersion) {
    return Status::Corruption("checkpoint: format version " + std::to_string(version) +
                              ", this build reads " + std::to_string(kCheckpointFormatVersion));
  }
  uint32_t stored_crc = 0;
  std::memcpy(&stored_crc, bytes.data() + bytes.size() - 4, 4);
  if (Writer::Crc(bytes.substr(0, bytes.size() - 4)) != stored_crc) {
    return Status::Corruption("checkpoint: checksum mismatch (torn or damaged file)");
  }
  Reader body(bytes.substr(kMagic.size() + 4, bytes.size() - kMagic.size() - 8));
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
  Reader r(head.substr(kMagic.size()));
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
