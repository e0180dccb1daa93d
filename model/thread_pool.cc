#include "model/thread_pool.h"

#include "base/check.h"

#if defined(__x86_64__) || defined(_M_X64)
#include <xmmintrin.h>
#define SWEEP_HAVE_MXCSR 1
#endif

namespace sweep::model {

ScopedFlushDenormals::ScopedFlushDenormals() {
#ifdef SWEEP_HAVE_MXCSR
  // Bit 15 flush-to-zero, bit 6 denormals-are-zero.
  saved_ = _mm_getcsr();
  _mm_setcsr(saved_ | 0x8040u);
#endif
}

ScopedFlushDenormals::~ScopedFlushDenormals() {
#ifdef SWEEP_HAVE_MXCSR
  _mm_setcsr(saved_);
#endif
}

ThreadPool::ThreadPool(int threads) : size_(threads), barrier_(threads) {
  SWEEP_CHECK(threads >= 1);
  for (int t = 1; t < threads; ++t) workers_.emplace_back([this, t] { WorkerLoop(t); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    quit_ = true;
  }
  wake_.notify_all();
  for (std::thread& w : workers_) w.join();
}

void ThreadPool::Run(const std::function<void(int)>& fn) {
  if (size_ == 1) {
    fn(0);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    job_ = &fn;
    pending_ = size_ - 1;
    ++generation_;
  }
  wake_.notify_all();
  fn(0);
  std::unique_lock<std::mutex> lock(mu_);
  done_.wait(lock, [this] { return pending_ == 0; });
  job_ = nullptr;
}

void ThreadPool::Barrier() {
  if (size_ > 1) barrier_.arrive_and_wait();
}

void ThreadPool::WorkerLoop(int t) {
  ScopedFlushDenormals ftz;
  uint64_t seen = 0;
  for (;;) {
    const std::function<void(int)>* job;
    {
      std::unique_lock<std::mutex> lock(mu_);
      wake_.wait(lock, [&] { return quit_ || generation_ != seen; });
      if (quit_) return;
      seen = generation_;
      job = job_;
    }
    (*job)(t);
    bool last;
    {
      std::lock_guard<std::mutex> lock(mu_);
      last = --pending_ == 0;
    }
    if (last) done_.notify_one();
  }
}

}  // namespace sweep::model
