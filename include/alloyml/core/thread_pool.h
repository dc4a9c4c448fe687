#pragma once
// A fixed pool of worker threads; submit() returns a future. Used by the data loader
// so decoding and augmenting the next batches overlaps the model's compute.
#include <condition_variable>
#include <functional>
#include <future>
#include <mutex>
#include <queue>
#include <thread>
#include <vector>

namespace alloyml {

/// The compute threads a command uses when not told (--threads 0): the first number of
/// OMP_NUM_THREADS when it is set (as PyTorch and OpenMP programs read it), else every core.
/// InputError naming the variable when it is set but holds no positive number.
size_t default_threads();

class ThreadPool {
 public:
  explicit ThreadPool(size_t threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  template <class F>
  auto submit(F&& f) -> std::future<decltype(f())> {
    using R = decltype(f());
    auto task = std::make_shared<std::packaged_task<R()>>(std::forward<F>(f));
    std::future<R> result = task->get_future();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      jobs_.emplace([task] { (*task)(); });
    }
    cv_.notify_one();
    return result;
  }

  size_t size() const { return workers_.size(); }

 private:
  std::vector<std::thread> workers_;
  std::queue<std::function<void()>> jobs_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
};

/// Runs body(i) for i in [0, n) on the pool and waits; rethrows the first exception.
void parallel_for(ThreadPool& pool, size_t n, const std::function<void(size_t)>& body);

}  // namespace alloyml
