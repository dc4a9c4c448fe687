#include "alloyml/core/thread_pool.h"

namespace alloyml {

ThreadPool::ThreadPool(size_t threads) {
  if (threads == 0) threads = 1;
  for (size_t i = 0; i < threads; ++i) {
    workers_.emplace_back([this] {
      for (;;) {
        std::function<void()> job;
        {
          std::unique_lock<std::mutex> lock(mutex_);
          cv_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
          if (stopping_ && jobs_.empty()) return;
          job = std::move(jobs_.front());
          jobs_.pop();
        }
        job();
      }
    });
  }
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& w : workers_) w.join();
}

void parallel_for(ThreadPool& pool, size_t n, const std::function<void(size_t)>& body) {
  const size_t chunks = std::min(n, pool.size() * 4);
  std::vector<std::future<void>> futures;
  for (size_t c = 0; c < chunks; ++c) {
    futures.push_back(pool.submit([&, c] {
      for (size_t i = c; i < n; i += chunks) body(i);
    }));
  }
  std::exception_ptr first;
  for (auto& f : futures) {
    try {
      f.get();
    } catch (...) {
      if (!first) first = std::current_exception();
    }
  }
  if (first) std::rethrow_exception(first);
}

}  // namespace alloyml
