#pragma once
// A multi-threaded batch loader: worker threads decode, augment and pack the next batches
// while the model computes. Batches are plain float buffers (no torch here), laid out NCHW.
// Order and augmentation depend only on (seed, epoch, sample), so runs are reproducible
// and a resumed epoch continues with exactly the batches an uninterrupted one would see.
#include <cstdint>
#include <atomic>
#include <deque>
#include <map>
#include <future>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include <opencv2/core.hpp>

#include "alloyml/core/thread_pool.h"
#include "alloyml/data/image_set.h"

namespace alloyml::data {

struct Batch {
  std::vector<float> images;          ///< n x c x h x w
  int n = 0, c = 0, h = 0, w = 0;
  std::vector<std::int64_t> labels;   ///< n labels (-1 when unlabelled)
  std::vector<size_t> indices;        ///< sample indices in the ImageSet (test_time tiles: one per tile, consecutive)
};

/// Decoded, resized images kept across epochs, shared by the loaders of one set.
/// Images that fail to decode are remembered (and skipped) with a warning naming the file.
class ImageCache {
 public:
  ImageCache(const ImageSet& set, const DataOptions& options);

  /// Decodes `indices` in parallel (showing progress on long sets); failures are recorded.
  void preload(const std::vector<size_t>& indices, ThreadPool& pool, bool show_progress);

  /// The prepared image, or an empty Mat when it cannot be read (warned once).
  cv::Mat get(size_t index);

  /// Whether `index` failed to decode.
  bool failed(size_t index) const;
  /// Why `index` failed to decode ("" when it did not, or the decoder gave no reason).
  std::string problem(size_t index) const;
  std::vector<std::string> failed_paths() const;
  /// The indices that failed to decode, in increasing order.
  std::vector<size_t> failed_indices() const;

  /// From now on, also keeps each decoded image as it is (native size, 8-bit grey: 16-bit
  /// divided by 257, colour by cv::cvtColor), for measures on the whole image (predict --quantify)
  /// without decoding it again.
  void keep_native_gray(bool on) { keep_native_gray_ = on; }
  /// The image kept by keep_native_gray; empty when not kept or unreadable.
  cv::Mat native_gray(size_t index) const;

 private:
  cv::Mat prepare(size_t index, std::string& problem, cv::Mat* native_gray);
  const ImageSet& set_;
  DataOptions options_;
  bool keep_native_gray_ = false;
  std::atomic<int> clamped_warnings_{0};  ///< images past input.max_rescale (the first few are named)
  mutable std::mutex mutex_;
  std::unordered_map<size_t, cv::Mat> images_, native_gray_;
  std::map<size_t, std::string> failed_;  ///< index -> the decoder's reason
};

class ImageLoader {
 public:
  /// `train` turns on shuffling and augmentation. `pool` runs the workers.
  ImageLoader(const ImageSet& set, std::vector<size_t> indices, const DataOptions& options, int batch_size,
              bool train, std::uint64_t seed, std::shared_ptr<ImageCache> cache, std::shared_ptr<ThreadPool> pool);
  ~ImageLoader();
  ImageLoader(const ImageLoader&) = delete;
  ImageLoader& operator=(const ImageLoader&) = delete;

  size_t num_batches() const;
  size_t num_samples() const { return indices_.size(); }
  const TransformOptions& transform() const { return options_.transform; }

  /// Data-parallel training: the loader yields worker `rank`'s share of each batch. The order
  /// stays the job's (seed, epoch), the batch size the job's; batch k's images are split into
  /// `world` contiguous slices, so every image is seen once per epoch across the workers and
  /// the workers together see what one process would.
  void shard(int rank, int world);
  /// Training: each sample gives `views` consecutive rows, each augmented with its own draws (two
  /// views of one image for contrastive pretraining). Default 1.
  void set_views(int views) { views_ = views < 1 ? 1 : views; }
  /// The samples the loader reads (unreadable ones left out), in its unshuffled order.
  const std::vector<size_t>& samples() const { return indices_; }

  /// Starts an epoch at batch `first_batch` (non-zero when resuming mid-epoch).
  void start_epoch(int epoch, size_t first_batch = 0);

  /// The next batch of the epoch; false at its end.
  bool next(Batch& out);

 private:
  Batch assemble(size_t batch_index) const;
  /// The image of sample `idx`, or with augment.mosaic / augment.fusion (drawn from `rng`) a
  /// mosaic or fusion of it with other samples of its class.
  cv::Mat mixed(size_t idx, cv::Mat image, std::mt19937_64& rng) const;
  void top_up();

  const ImageSet& set_;
  std::vector<size_t> indices_, order_;
  /// The loader's samples of each class, for mosaic and fusion (training with either only).
  std::vector<std::vector<size_t>> by_class_;
  DataOptions options_;
  int batch_size_;
  int rank_ = 0, world_ = 1;
  int views_ = 1;
  bool train_;
  std::uint64_t seed_;
  int epoch_ = 0;
  size_t next_to_submit_ = 0;
  std::shared_ptr<ImageCache> cache_;
  std::shared_ptr<ThreadPool> pool_;
  std::deque<std::future<Batch>> pending_;
};

}  // namespace alloyml::data
