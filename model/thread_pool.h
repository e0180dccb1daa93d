// A fixed team of training threads: the caller plus size()-1 workers, created once per
// Train/Evaluate call. Every thread runs with flush-to-zero and denormals-are-zero set.
// Waiting is passive (futex), never spinning: two trainings often share two cores.
// Internal to sweep_model.
#pragma once

#include <barrier>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace sweep::model {

// Sets MXCSR FTZ|DAZ on the current thread for its lifetime and restores the old value.
class ScopedFlushDenormals {
 public:
  ScopedFlushDenormals();
  ~ScopedFlushDenormals();
  ScopedFlushDenormals(const ScopedFlushDenormals&) = delete;
  ScopedFlushDenormals& operator=(const ScopedFlushDenormals&) = delete;

 private:
  unsigned saved_ = 0;
};

class ThreadPool {
 public:
  // Requires: threads >= 1.
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int size() const { return size_; }
  // Runs fn(t) for every t in [0, size()) at once, t = 0 on the calling thread, and returns
  // when all are done. The caller should hold a ScopedFlushDenormals. Not reentrant.
  void Run(const std::function<void(int)>& fn);
  // Waits until all size() threads of the current Run reach it. Call only inside Run.
  void Barrier();

 private:
  void WorkerLoop(int t);

  int size_;
  std::barrier<> barrier_;
  std::mutex mu_;
  std::condition_variable wake_, done_;
  const std::function<void(int)>* job_ = nullptr;
  uint64_t generation_ = 0;
  int pending_ = 0;
  bool quit_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace sweep::model
