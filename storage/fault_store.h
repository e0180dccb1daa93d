// FaultStore: a Store wrapper for tests that fails chosen calls, the way leveldb's ErrorEnv
// (util/testutil.h) fails the n-th write. Test-only: built as sweep_fault_store, linked by test
// binaries, never by a program.
//
// Calls are counted per operation (StoreOp) and in total; a fault names an operation (or kAny)
// and the n-th matching call from the time it is set (1-based). An injected failure returns
// Unavailable, what a real I/O fault gives after the S3 client's retries or from FromErrno
// (EIO, ENOSPC, ECONNRESET...), and the wrapped store is not called: the operation did not
// happen. A truncated read calls the wrapped store and returns Ok with the first half of the
// bytes: a store that silently loses a body's tail, which every reader must reject.
//
// The wrapper hides the wrapped store's local path (LocalPath is ""), so callers that
// short-cut local folders (publish, scan) take the object-store path through these calls.
// Thread-safety: calls may come from several threads (Publish writes the model on a second
// one); the counters are guarded by a mutex.
#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "storage/store.h"

namespace sweep::storage {

enum class StoreOp {
  kAny,     // matches every call below
  kWrite,   // Put, PutFile, Create
  kMove,    // Move
  kRead,    // Get
  kList,    // List, CheckWritable
  kDelete,  // Delete
};

class FaultStore : public Store {
 public:
  // `base` must outlive this object.
  explicit FaultStore(Store* base) : base_(base) {}

  // Fails only the n-th call matching `op` from now on (a blip).
  void FailNth(StoreOp op, int n) { Add(op, n, Kind::kFailOnce); }
  // Fails the n-th call matching `op` and every later one (an outage).
  void FailFrom(StoreOp op, int n) { Add(op, n, Kind::kFailFrom); }
  // The n-th Get from now succeeds with the first half of the object (rounded down).
  void TruncateNthRead(int n) { Add(StoreOp::kRead, n, Kind::kTruncate); }
  // Removes every fault; the counters keep counting.
  void Clear();

  int calls(StoreOp op = StoreOp::kAny) const;
  int faults_injected() const;

  const std::string& root() const override { return base_->root(); }
  Status Put(const std::string& key, std::string_view contents) override;
  Status PutFile(const std::string& key, const std::string& local_path) override;
  StatusOr<bool> Create(const std::string& key, std::string_view contents) override;
  StatusOr<std::string> Get(const std::string& key) override;
  Status Move(const std::string& from, const std::string& to) override;
  Status Delete(const std::string& key) override;
  StatusOr<std::vector<std::string>> List(const std::string& prefix) override;
  Status CheckWritable() override;
  std::string LocalPath(const std::string&) const override { return ""; }

 private:
  enum class Kind { kFailOnce, kFailFrom, kTruncate };
  struct Fault {
    StoreOp op;
    int at;  // the matching call's number (counters as they will be) at which it fires
    Kind kind;
  };
  enum class Outcome { kPass, kFail, kTruncate };

  void Add(StoreOp op, int n, Kind kind);
  // Counts one call of `op` and says what to do with it.
  Outcome Count(StoreOp op);
  Status Injected(std::string_view what, const std::string& key) const;

  Store* base_;
  mutable std::mutex mu_;
  int counts_[6] = {0, 0, 0, 0, 0, 0};  // by StoreOp
  std::vector<Fault> faults_;
  int injected_ = 0;
};

}  // namespace sweep::storage
