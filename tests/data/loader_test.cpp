#include <gtest/gtest.h>

#include <set>

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
