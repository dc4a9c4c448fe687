#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include <opencv2/imgcodecs.hpp>

#include "alloyml/core/error.h"
#include "alloyml/data/loader.h"
#include "alloyml/data/synthetic.h"
#include "test_util.h"

using namespace alloyml::data;

namespace {
struct Fixture {
  alloyml::testing::TempDir dir;
  ImageSet set;
  DataOptions options;
  Fixture() {
    write_surface_defects(dir.str(), 5, 24, 1);
    options.transform.size = 24;
    options.transform.channels = 1;
    options.transform.mean = {0.5};
    options.transform.std = {0.25};
    set = discover_images(dir.str(), options);
  }
  std::vector<size_t> all() const {
    std::vector<size_t> v(set.samples.size());
    for (size_t i = 0; i < v.size(); ++i) v[i] = i;
    return v;
  }
};

std::vector<Batch> epoch(ImageLoader& l, int e, size_t first = 0) {
  l.start_epoch(e, first);
  std::vector<Batch> out;
  Batch b;
  while (l.next(b)) out.push_back(b);
  return out;
}
}  // namespace

TEST(Loader, EveryTrainingSampleOncePerEpochInBatches) {
  Fixture f;
  auto pool = std::make_shared<alloyml::ThreadPool>(2);
  ImageLoader l(f.set, f.all(), f.options, 8, true, 0, std::make_shared<ImageCache>(f.set, f.options), pool);
  const auto batches = epoch(l, 0);
  ASSERT_EQ(batches.size(), l.num_batches());
  std::multiset<size_t> seen;
  for (const auto& b : batches) {
    EXPECT_EQ(b.images.size(), static_cast<size_t>(b.n) * 24 * 24);
    seen.insert(b.indices.begin(), b.indices.end());
  }
  EXPECT_EQ(seen.size(), 30u);
  EXPECT_EQ(std::set<size_t>(seen.begin(), seen.end()).size(), 30u);
}

TEST(Loader, SameEpochSameBatchesAndResumeMidEpoch) {
  Fixture f;
  auto pool = std::make_shared<alloyml::ThreadPool>(2);
  auto cache = std::make_shared<ImageCache>(f.set, f.options);
  ImageLoader a(f.set, f.all(), f.options, 8, true, 3, cache, pool);
  ImageLoader b(f.set, f.all(), f.options, 8, true, 3, cache, pool);
  const auto ea = epoch(a, 2), eb = epoch(b, 2, 2);
  ASSERT_EQ(ea.size(), eb.size() + 2);
  EXPECT_EQ(ea[2].indices, eb[0].indices);
  EXPECT_EQ(ea[2].images, eb[0].images);
  EXPECT_NE(epoch(a, 3)[0].indices, ea[0].indices);  // another epoch, another order
}

TEST(Loader, TrainingNeverEndsWithABatchOfOne) {
  Fixture f;
  auto pool = std::make_shared<alloyml::ThreadPool>(1);
  auto idx = f.all();
  idx.resize(17);
  ImageLoader l(f.set, idx, f.options, 8, true, 0, std::make_shared<ImageCache>(f.set, f.options), pool);
  const auto batches = epoch(l, 0);
  ASSERT_EQ(batches.size(), 2u);
  EXPECT_EQ(batches[1].n, 9);
}

TEST(Loader, ShardsSliceTheJobsBatchesAndTogetherAreOneProcess) {
  // 2 workers, 26 training images, batches of 8 (8, 8, 8, 2): every batch of the single loader is
  // the workers' slices put together, in rank order, images and all.
  Fixture f;
  auto pool = std::make_shared<alloyml::ThreadPool>(2);
  auto cache = std::make_shared<ImageCache>(f.set, f.options);
  auto idx = f.all();
  idx.resize(26);
  auto shards = [&](int world) {
    std::vector<std::vector<Batch>> parts;
    for (int r = 0; r < world; ++r) {
      ImageLoader w(f.set, idx, f.options, 8, true, 5, cache, pool);
      w.shard(r, world);
      parts.push_back(epoch(w, 1));
    }
    return parts;
  };
  ImageLoader one(f.set, idx, f.options, 8, true, 5, cache, pool);
  const auto whole = epoch(one, 1);
  ASSERT_EQ(whole.size(), 4u);
  const auto two = shards(2);
  for (size_t k = 0; k < whole.size(); ++k) {
    ASSERT_EQ(two[0].size(), whole.size());
    ASSERT_EQ(two[1].size(), whole.size());
    std::vector<size_t> joined(two[0][k].indices);
    joined.insert(joined.end(), two[1][k].indices.begin(), two[1][k].indices.end());
    std::vector<float> pixels(two[0][k].images);
    pixels.insert(pixels.end(), two[1][k].images.begin(), two[1][k].images.end());
    EXPECT_EQ(joined, whole[k].indices);
    EXPECT_EQ(pixels, whole[k].images);  // augmentation depends on (seed, epoch, image), not the worker
  }
  // 3 workers: the tail of 2 would leave one without an image, so it joins the batch before it
  // (8, 8, 10); every image still once per epoch, every worker at least 2 per step.
  const auto three = shards(3);
  std::multiset<size_t> seen;
  for (const auto& part : three) {
    ASSERT_EQ(part.size(), 3u);
    for (const auto& b : part) {
      EXPECT_GE(b.n, 2);
      seen.insert(b.indices.begin(), b.indices.end());
    }
  }
  EXPECT_EQ(three[0][2].n + three[1][2].n + three[2][2].n, 10);
  EXPECT_EQ(seen.size(), 26u);
  EXPECT_EQ(std::set<size_t>(seen.begin(), seen.end()).size(), 26u);
}

TEST(Loader, AJobsBatchSmallerThanItsWorkersIsAnError) {
  Fixture f;
  auto pool = std::make_shared<alloyml::ThreadPool>(1);
  ImageLoader l(f.set, f.all(), f.options, 2, true, 0, std::make_shared<ImageCache>(f.set, f.options), pool);
  EXPECT_THROW(l.shard(0, 3), alloyml::InputError);
}

TEST(Loader, UnreadableImagesAreSkippedAndCounted) {
  Fixture f;
  alloyml::testing::write_file(f.dir / "scratches_999.png", "garbage");
  f.set = discover_images(f.dir.str(), f.options);
  auto pool = std::make_shared<alloyml::ThreadPool>(2);
  auto cache = std::make_shared<ImageCache>(f.set, f.options);
  cache->preload(f.all(), *pool, false);
  ASSERT_EQ(cache->failed_paths().size(), 1u);
  EXPECT_NE(cache->failed_paths()[0].find("scratches_999.png"), std::string::npos);
  ImageLoader l(f.set, f.all(), f.options, 8, false, 0, cache, pool);
  EXPECT_EQ(l.num_samples(), 30u);
  size_t n = 0;
  for (const auto& b : epoch(l, 0)) n += static_cast<size_t>(b.n);
  EXPECT_EQ(n, 30u);
}

TEST(Loader, WithoutCacheAFailureDropsOnlyThatSample) {
  Fixture f;
  alloyml::testing::write_file(f.dir / "crazing_999.png", "garbage");
  f.set = discover_images(f.dir.str(), f.options);
  f.options.cache = false;
  auto pool = std::make_shared<alloyml::ThreadPool>(2);
  ImageLoader l(f.set, f.all(), f.options, 4, false, 0, std::make_shared<ImageCache>(f.set, f.options), pool);
  size_t n = 0;
  for (const auto& b : epoch(l, 0)) n += static_cast<size_t>(b.n);
  EXPECT_EQ(n, 30u);
}

// augment.mosaic and augment.fusion (Huang et al. 2023, Section 3.1.2) mix only images of the
// sample's own class: with flat images whose grey level names the image, a mosaic shows several
// levels of its class and none of another, a fusion the mean of two of its class.
TEST(Loader, MosaicAndFusionMixOnlyTheSamplesClass) {
  alloyml::testing::TempDir dir;
  const std::vector<int> dark{20, 40, 60, 80}, bright{160, 180, 200, 220};
  for (size_t i = 0; i < 4; ++i) {
    cv::imwrite(dir.str() + "/dark_" + std::to_string(i) + ".png", cv::Mat(32, 32, CV_8UC1, cv::Scalar(dark[i])));
    cv::imwrite(dir.str() + "/bright_" + std::to_string(i) + ".png", cv::Mat(32, 32, CV_8UC1, cv::Scalar(bright[i])));
  }
  DataOptions o;
  o.transform.size = 32;
  o.transform.channels = 1;
  o.transform.mean = {0.0};
  o.transform.std = {1.0 / 255.0};  // the model input is the grey level itself
  o.transform.augment = AugmentOptions{};
  o.transform.augment.hflip = 0;
  const ImageSet set = discover_images(dir.str(), o);
  std::vector<size_t> all(set.samples.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  auto pool = std::make_shared<alloyml::ThreadPool>(2);
  for (const bool use_mosaic : {true, false}) {
    DataOptions m = o;
    (use_mosaic ? m.transform.augment.mosaic : m.transform.augment.fusion) = 1.0;
    ImageLoader l(set, all, m, 8, true, 5, std::make_shared<ImageCache>(set, m), pool);
    int mixed = 0;
    for (int e = 0; e < 3; ++e)
      for (const auto& b : epoch(l, e))
        for (int i = 0; i < b.n; ++i) {
          const auto& levels = set.class_names[static_cast<size_t>(b.labels[static_cast<size_t>(i)])] == "dark" ? dark : bright;
          const float* px = b.images.data() + static_cast<size_t>(i) * 32 * 32;
          std::set<int> seen;
          for (int p = 0; p < 32 * 32; ++p) seen.insert(static_cast<int>(std::lround(px[p])));
          const int lo = levels.front(), hi = levels.back();
          for (int v : seen) EXPECT_TRUE(v >= lo && v <= hi) << v << " outside its class's levels";
          if (use_mosaic) {
            // The corners are four tiles away from the seams: each one of the class's levels.
            for (int p : {0, 31, 32 * 31, 32 * 32 - 1})
              EXPECT_NE(std::find(levels.begin(), levels.end(), static_cast<int>(std::lround(px[p]))), levels.end());
            mixed += seen.size() > 1;
          } else {
            EXPECT_EQ(seen.size(), 1u);  // a blend of two flat images is flat
            const int v = *seen.begin();
            bool is_mean = false;
            for (int x : levels)
              for (int y : levels) is_mean |= std::abs((x + y) / 2 - v) <= 1;
            EXPECT_TRUE(is_mean) << v;
            mixed += std::find(levels.begin(), levels.end(), v) == levels.end();
          }
        }
    EXPECT_GT(mixed, 6) << (use_mosaic ? "mosaics" : "fusions") << " should mix different images of a class";
  }
}

// augment.test_time tiles (issue 36): an evaluation batch holds every tile of each image under its
// index, consecutively; training batches are unchanged (one random crop per image).
TEST(Loader, TilesGiveEveryImageItsTilesConsecutively) {
  Fixture f;
  f.options.transform.size = 16;
  f.options.transform.resize = 40;  // 24 px images enlarged to 40: 3 x 3 tiles of 16
  f.options.transform.test_time = "tiles+flip";
  auto pool = std::make_shared<alloyml::ThreadPool>(1);
  ImageLoader eval(f.set, f.all(), f.options, 4, false, 0, std::make_shared<ImageCache>(f.set, f.options), pool);
  size_t rows = 0;
  std::set<size_t> images;
  for (const auto& b : epoch(eval, 0)) {
    ASSERT_EQ(b.indices.size(), static_cast<size_t>(b.n));
    ASSERT_EQ(b.n % 9, 0);
    for (int i = 0; i < b.n; i += 9)
      for (int j = 1; j < 9; ++j) EXPECT_EQ(b.indices[static_cast<size_t>(i + j)], b.indices[static_cast<size_t>(i)]);
    for (size_t i : b.indices) images.insert(i);
    rows += static_cast<size_t>(b.n);
    EXPECT_EQ(b.images.size(), static_cast<size_t>(b.n) * 16 * 16);
  }
  EXPECT_EQ(rows, f.set.samples.size() * 9);
  EXPECT_EQ(images.size(), f.set.samples.size());
  ImageLoader train(f.set, f.all(), f.options, 4, true, 0, std::make_shared<ImageCache>(f.set, f.options), pool);
  size_t train_rows = 0;
  for (const auto& b : epoch(train, 0)) train_rows += static_cast<size_t>(b.n);
  EXPECT_EQ(train_rows, f.set.samples.size());
}

TEST(Loader, ViewsAreConsecutiveRowsOfOneImageDrawnApart) {
  Fixture f;
  f.options.transform.augment.crop_area = 0.3;  // views differ in their crops
  ImageLoader one(f.set, f.all(), f.options, 8, true, 3, std::make_shared<ImageCache>(f.set, f.options),
                  std::make_shared<alloyml::ThreadPool>(2));
  ImageLoader two(f.set, f.all(), f.options, 8, true, 3, std::make_shared<ImageCache>(f.set, f.options),
                  std::make_shared<alloyml::ThreadPool>(2));
  two.set_views(2);
  const auto a = epoch(one, 0), b = epoch(two, 0);
  ASSERT_EQ(a.size(), b.size());  // the same batches of images, each image twice
  const size_t plane = 24 * 24;
  for (size_t k = 0; k < a.size(); ++k) {
    ASSERT_EQ(b[k].n, 2 * a[k].n);
    for (int i = 0; i < a[k].n; ++i) {
      const size_t row = static_cast<size_t>(i);
      EXPECT_EQ(b[k].indices[2 * row], a[k].indices[row]);
      EXPECT_EQ(b[k].indices[2 * row + 1], a[k].indices[row]);
      const float* first = b[k].images.data() + 2 * row * plane;
      // The first view is the one-view loader's image (same draws), the second another crop.
      EXPECT_TRUE(std::equal(first, first + plane, a[k].images.data() + row * plane));
      EXPECT_FALSE(std::equal(first, first + plane, first + plane));
    }
  }
}
