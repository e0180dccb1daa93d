#include "storage/fault_store.h"

#include "base/check.h"

namespace sweep::storage {
namespace {

int Slot(StoreOp op) { return static_cast<int>(op); }

}  // namespace

void FaultStore::Add(StoreOp op, int n, Kind kind) {
  SWEEP_CHECK(n >= 1);
  std::lock_guard<std::mutex> lock(mu_);
  faults_.push_back({op, counts_[Slot(op)] + n, kind});
}

void FaultStore::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  faults_.clear();
}

int FaultStore::calls(StoreOp op) const {
  std::lock_guard<std::mutex> lock(mu_);
  return counts_[Slot(op)];
}

int FaultStore::faults_injected() const {
  std::lock_guard<std::mutex> lock(mu_);
  return injected_;
}

FaultStore::Outcome FaultStore::Count(StoreOp op) {
  std::lock_guard<std::mutex> lock(mu_);
  ++counts_[Slot(StoreOp::kAny)];
  ++counts_[Slot(op)];
  Outcome outcome = Outcome::kPass;
  for (const Fault& f : faults_) {
    if (f.op != StoreOp::kAny && f.op != op) continue;
    const int count = counts_[Slot(f.op)];
    if (f.kind == Kind::kFailFrom ? count >= f.at : count == f.at) {
      outcome = f.kind == Kind::kTruncate ? Outcome::kTruncate : Outcome::kFail;
      if (outcome == Outcome::kFail) break;  // a failure wins over a truncation
    }
  }
  if (outcome != Outcome::kPass) ++injected_;
  return outcome;
}

Status FaultStore::Injected(std::string_view what, const std::string& key) const {
  return Status::Unavailable("injected fault: " + std::string(what) + " " + key);
}

Status FaultStore::Put(const std::string& key, std::string_view contents) {
  if (Count(StoreOp::kWrite) != Outcome::kPass) return Injected("put", key);
  return base_->Put(key, contents);
}

StatusOr<bool> FaultStore::Create(const std::string& key, std::string_view contents) {
  if (Count(StoreOp::kWrite) != Outcome::kPass) return Injected("create", key);
  return base_->Create(key, contents);
}

Status FaultStore::PutFile(const std::string& key, const std::string& local_path) {
  if (Count(StoreOp::kWrite) != Outcome::kPass) return Injected("put", key);
  return base_->PutFile(key, local_path);
}

StatusOr<std::string> FaultStore::Get(const std::string& key) {
  const Outcome outcome = Count(StoreOp::kRead);
  if (outcome == Outcome::kFail) return Injected("get", key);
  StatusOr<std::string> got = base_->Get(key);
  if (outcome == Outcome::kTruncate && got.ok()) got->resize(got->size() / 2);
  return got;
}

Status FaultStore::Move(const std::string& from, const std::string& to) {
  if (Count(StoreOp::kMove) != Outcome::kPass) return Injected("move", from + " to " + to);
  return base_->Move(from, to);
}

Status FaultStore::Delete(const std::string& key) {
  if (Count(StoreOp::kDelete) != Outcome::kPass) return Injected("delete", key);
  return base_->Delete(key);
}

StatusOr<std::vector<std::string>> FaultStore::List(const std::string& prefix) {
  if (Count(StoreOp::kList) != Outcome::kPass) return Injected("list", prefix);
  return base_->List(prefix);
}

Status FaultStore::CheckWritable() {
  if (Count(StoreOp::kList) != Outcome::kPass) return Injected("check", root());
  return base_->CheckWritable();
}

}  // namespace sweep::storage
