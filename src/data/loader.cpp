#include "alloyml/data/loader.h"

#include <algorithm>
#include <array>

#include <spdlog/spdlog.h>

#include "alloyml/core/error.h"
#include "alloyml/core/log.h"
#include "alloyml/core/progress.h"
#include "alloyml/core/rng.h"
#include "alloyml/data/transforms.h"
#include "alloyml/data/mosaic.h"

#include <opencv2/imgproc.hpp>

namespace alloyml::data {

ImageCache::ImageCache(const ImageSet& set, const DataOptions& options) : set_(set), options_(options) {}

cv::Mat ImageCache::prepare(size_t index, std::string& problem, cv::Mat* native_gray) {
  const std::string& path = set_.samples.at(index).path;
  cv::Mat img = decode_image(path, options_.transform.channels, &problem);
  if (img.empty()) return img;
  if (native_gray) {
    cv::Mat g = img;
    if (g.depth() != CV_8U) g.convertTo(g, CV_8U, 1.0 / 257.0);
    if (g.channels() != 1) cv::cvtColor(g, g, cv::COLOR_BGR2GRAY);
    *native_gray = g.data == img.data ? g.clone() : g;
  }
  if (options_.transform.um_per_px > 0) {
    const double scale = set_.samples.at(index).um_per_px;
    if (!(scale > 0)) {
      problem = "no scale for input.um_per_px (data.scale_column)";
      return {};
    }
    bool clamped = false;
    img = resample_to_scale(img, scale, options_.transform.um_per_px, options_.transform.size,
                            options_.transform.max_rescale, &clamped);
    if (clamped && clamped_warnings_.fetch_add(1) < 3)
      spdlog::warn("{}: at {:g} um/px, reaching input.um_per_px {:g} takes more than input.max_rescale ({:g}x); "
                   "resampled by {:g}x only",
                   path, scale, options_.transform.um_per_px, options_.transform.max_rescale,
                   options_.transform.max_rescale);
    return img;
  }
  return resize_for_model(img, options_.transform);
}

void ImageCache::preload(const std::vector<size_t>& indices, ThreadPool& pool, bool show_progress) {
  std::vector<size_t> todo;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (size_t i : indices)
      if (!images_.count(i) && !failed_.count(i)) todo.push_back(i);
  }
  Progress progress("decoding", static_cast<long>(todo.size()), "img", stderr_is_terminal(), 10.0,
                    show_progress && todo.size() > 200);
  std::mutex progress_mutex;
  long done = 0;
  parallel_for(pool, todo.size(), [&](size_t k) {
    get(todo[k]);
    std::lock_guard<std::mutex> lock(progress_mutex);
    progress.update(++done, 1, "");
  });
  progress.finish();
}

cv::Mat ImageCache::get(size_t index) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (failed_.count(index)) return {};
    auto it = images_.find(index);
    if (it != images_.end()) return it->second;
  }
  std::string problem;
  cv::Mat gray;
  cv::Mat img = prepare(index, problem, keep_native_gray_ ? &gray : nullptr);
  std::lock_guard<std::mutex> lock(mutex_);
  if (img.empty()) {
    if (failed_.emplace(index, problem).second)
      spdlog::warn("skipping unreadable image {}: {}", set_.samples[index].path, problem);
  } else {
    if (options_.cache) images_.emplace(index, img);
    if (!gray.empty()) native_gray_.emplace(index, gray);
  }
  return img;
}

std::string ImageCache::problem(size_t index) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = failed_.find(index);
  return it == failed_.end() ? "" : it->second;
}

cv::Mat ImageCache::native_gray(size_t index) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = native_gray_.find(index);
  return it == native_gray_.end() ? cv::Mat() : it->second;
}

bool ImageCache::failed(size_t index) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return failed_.count(index) > 0;
}

std::vector<std::string> ImageCache::failed_paths() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::string> out;
  for (const auto& [i, why] : failed_) out.push_back(set_.samples[i].path);
  return out;
}

std::vector<size_t> ImageCache::failed_indices() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<size_t> out;
  for (const auto& [i, why] : failed_) out.push_back(i);
  return out;
}

ImageLoader::ImageLoader(const ImageSet& set, std::vector<size_t> indices, const DataOptions& options,
                         int batch_size, bool train, std::uint64_t seed, std::shared_ptr<ImageCache> cache,
                         std::shared_ptr<ThreadPool> pool)
    : set_(set),
      options_(options),
      batch_size_(batch_size),
      train_(train),
      seed_(seed),
      cache_(std::move(cache)),
      pool_(std::move(pool)) {
  if (batch_size_ < 1) throw InputError("batch size must be at least 1");
  // Images known to be unreadable (after a preload) are left out of the epoch.
  for (size_t i : indices)
    if (!cache_->failed(i)) indices_.push_back(i);
  order_ = indices_;
  const auto& a = options_.transform.augment;
  if (train_ && (a.mosaic > 0 || a.fusion > 0)) {
    for (size_t i : indices_) {
      const int label = set_.samples[i].label;
      if (label < 0) continue;
      if (by_class_.size() <= static_cast<size_t>(label)) by_class_.resize(static_cast<size_t>(label) + 1);
      by_class_[static_cast<size_t>(label)].push_back(i);
    }
  }
}

cv::Mat ImageLoader::mixed(size_t idx, cv::Mat image, std::mt19937_64& rng) const {
  const auto& a = options_.transform.augment;
  const int label = set_.samples[idx].label;
  if (by_class_.empty() || label < 0) return image;
  const double u = std::uniform_real_distribution<double>(0.0, 1.0)(rng);
  const bool mosaic = u < a.mosaic, fusion = !mosaic && u < a.mosaic + a.fusion;
  if (!mosaic && !fusion) return image;
  const auto& same = by_class_[static_cast<size_t>(label)];
  std::uniform_int_distribution<size_t> pick(0, same.size() - 1);
  std::array<cv::Mat, 4> four{image, {}, {}, {}};
  for (size_t k = 1; k < (mosaic ? 4u : 2u); ++k) {
    four[k] = cache_->get(same[pick(rng)]);
    if (four[k].empty()) return image;  // an unreadable partner: the image as it is
  }
  // Huang et al. 2023, Section 3.1.2: four images of the class stitched 2 x 2 with blurred seams, or two blended.
  return mosaic ? data::mosaic(four) : data::fuse(four[0], four[1]);
}

ImageLoader::~ImageLoader() {
  for (auto& f : pending_) f.wait();  // workers read this loader's order
}

namespace {
// The smallest last batch of a training epoch: one image alone breaks batch norm, and each
// worker of a data-parallel job needs one. A smaller tail joins the batch before it.
size_t smallest_tail(int world) { return static_cast<size_t>(std::max(2, world)); }
}  // namespace

size_t ImageLoader::num_batches() const {
  const size_t n = indices_.size(), b = static_cast<size_t>(batch_size_);
  size_t batches = (n + b - 1) / b;
  if (train_ && n % b != 0 && n % b < smallest_tail(world_) && batches > 1) --batches;
  return batches;
}

void ImageLoader::shard(int rank, int world) {
  if (world < 1 || rank < 0 || rank >= world) throw Error("loader shard " + std::to_string(rank) + " of " + std::to_string(world));
  if (world > 1 && batch_size_ < world)
    throw InputError("the batch size (" + std::to_string(batch_size_) + ") is the whole job's and must be at least the number of workers (" +
                     std::to_string(world) + ")");
  rank_ = rank;
  world_ = world;
}

void ImageLoader::start_epoch(int epoch, size_t first_batch) {
  // Drain work of an abandoned epoch before reshuffling the order it reads.
  for (auto& f : pending_) f.wait();
  pending_.clear();
  epoch_ = epoch;
  order_ = indices_;
  if (train_) seeded_shuffle(order_, derive_seed(seed_, 0x0D0E, static_cast<std::uint64_t>(epoch)));
  next_to_submit_ = first_batch;
  top_up();
}

void ImageLoader::top_up() {
  const size_t ahead = static_cast<size_t>(std::max(1, options_.prefetch));
  while (pending_.size() < ahead && next_to_submit_ < num_batches()) {
    const size_t b = next_to_submit_++;
    pending_.push_back(pool_->submit([this, b] { return assemble(b); }));
  }
}

bool ImageLoader::next(Batch& out) {
  if (pending_.empty()) return false;
  out = pending_.front().get();
  pending_.pop_front();
  top_up();
  return true;
}

Batch ImageLoader::assemble(size_t batch_index) const {
  const auto& t = options_.transform;
  size_t begin = batch_index * static_cast<size_t>(batch_size_);
  size_t end = std::min(order_.size(), begin + static_cast<size_t>(batch_size_));
  if (train_ && batch_index + 1 == num_batches()) end = order_.size();  // with a small tail joined
  if (world_ > 1) {  // this worker's contiguous slice of the job's batch
    const size_t m = end - begin, r = static_cast<size_t>(rank_), w = static_cast<size_t>(world_);
    end = begin + m * (r + 1) / w;
    begin += m * r / w;
  }
  Batch batch;
  batch.c = t.channels;
  batch.h = batch.w = t.size;
  const size_t plane = static_cast<size_t>(t.channels) * t.size * t.size;
  batch.images.resize((end - begin) * plane * static_cast<size_t>(views_));
  const bool tiles = !train_ && scores_tiles(t.test_time);
  for (size_t k = begin; k < end; ++k) {
    const size_t idx = order_[k];
    cv::Mat img = cache_->get(idx);
    if (img.empty()) continue;  // unreadable: warned and counted by the cache
    std::mt19937_64 rng(derive_seed(seed_, 0xA06, static_cast<std::uint64_t>(epoch_), idx));
    if (tiles && img.cols >= t.size && img.rows >= t.size) {  // each tile a row, under the image's index
      for (int y : tile_origins(img.rows, t.size))
        for (int x : tile_origins(img.cols, t.size)) {
          const cv::Rect r(x, y, t.size, t.size);
          batch.images.resize(static_cast<size_t>(batch.n + 1) * plane);
          to_model_input(img(r), t, false, rng, batch.images.data() + static_cast<size_t>(batch.n) * plane);
          batch.labels.push_back(set_.samples[idx].label);
          batch.indices.push_back(idx);
          ++batch.n;
        }
      continue;
    }
    if (train_) img = mixed(idx, img, rng);
    for (int v = 0; v < views_; ++v) {  // views after the first continue the image's draws
      to_model_input(img, t, train_, rng, batch.images.data() + static_cast<size_t>(batch.n) * plane);
      batch.labels.push_back(set_.samples[idx].label);
      batch.indices.push_back(idx);
      ++batch.n;
    }
  }
  batch.images.resize(static_cast<size_t>(batch.n) * plane);
  return batch;
}

}  // namespace alloyml::data
