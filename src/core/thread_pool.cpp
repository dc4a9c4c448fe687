#include "alloyml/core/thread_pool.h"

#include <algorithm>
#include <cstdlib>
#include <string>

#include "alloyml/core/error.h"

namespace alloyml {

size_t default_threads() {
  const char* env = std::getenv("OMP_NUM_THREADS");
  if (env && *env) {
    const std::string text(env);
    const std::string first = text.substr(0, text.find(','));  // "4,2": nested levels; the outer one
    size_t used = 0;
    long n = 0;
    try {
      n = std::stol(first, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != first.size() || n < 1 || n > 1024)
      throw InputError("OMP_NUM_THREADS is '" + text.substr(0, 40) + "', not a number of threads from 1 to 1024");
    return static_cast<size_t>(n);
  }
  return std::max(1u, std::thread::hardware_concurrency());
}

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
