#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <set>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "alloyml/core/error.h"
#include "alloyml/data/split.h"
#include "alloyml/data/synthetic.h"
#include "test_util.h"

using namespace alloyml::data;

namespace {
ImageSet toy_set(int per_class, int classes) {
  ImageSet s;
  for (int c = 0; c < classes; ++c) {
    s.class_names.push_back("c" + std::to_string(c));
    for (int i = 0; i < per_class; ++i) s.samples.push_back({"c" + std::to_string(c) + "_" + std::to_string(i), c});
  }
  return s;
}

std::vector<int> per_class(const ImageSet& s, const std::vector<size_t>& idx) {
  std::vector<int> n(s.class_names.size(), 0);
  for (size_t i : idx) ++n[static_cast<size_t>(s.samples[i].label)];
  return n;
}
}  // namespace

TEST(Split, StratifiedFractionsAreExactPerClass) {
  const auto s = toy_set(20, 3);
  const auto sp = stratified_split(s, {0.15, 0.25, 7});
  EXPECT_EQ(per_class(s, sp.val), (std::vector<int>{3, 3, 3}));
  EXPECT_EQ(per_class(s, sp.test), (std::vector<int>{5, 5, 5}));
  EXPECT_EQ(sp.train.size() + sp.val.size() + sp.test.size(), s.samples.size());
}

TEST(Split, CountsAreAbsolute) {
  const auto s = toy_set(300, 6);  // NEU: 1800 images split 1080/360/360
  const auto sp = stratified_split(s, {360, 360, 0});
  EXPECT_EQ(sp.train.size(), 1080u);
  EXPECT_EQ(sp.val.size(), 360u);
  EXPECT_EQ(sp.test.size(), 360u);
}

TEST(Split, PartsAreDisjointAndCoverEverything) {
  const auto s = toy_set(17, 4);
  const auto sp = stratified_split(s, {0.2, 0.2, 3});
  std::set<size_t> all;
  for (const auto* p : {&sp.train, &sp.val, &sp.test})
    for (size_t i : *p) EXPECT_TRUE(all.insert(i).second) << "index " << i << " twice";
  EXPECT_EQ(all.size(), s.samples.size());
}

TEST(Split, SameSeedSameSplitOtherSeedOtherSplit) {
  const auto s = toy_set(30, 3);
  EXPECT_EQ(stratified_split(s, {0.2, 0.2, 1}).test, stratified_split(s, {0.2, 0.2, 1}).test);
  EXPECT_NE(stratified_split(s, {0.2, 0.2, 1}).test, stratified_split(s, {0.2, 0.2, 2}).test);
}

TEST(Split, IdenticalFilesStayInOnePart) {
  alloyml::testing::TempDir dir;
  write_surface_defects(dir.str(), 10, 24, 0);
  // Make a byte-identical pair, as NEU's patches_101/105.
  for (int copy = 0; copy < 4; ++copy)
    std::filesystem::copy_file(dir / "patches_1.png", dir / ("patches_dup" + std::to_string(copy) + ".png"));
  ImageSet s;
  s.class_names = {"patches"};
  for (const auto& e : std::filesystem::directory_iterator(dir.str()))
    if (e.path().filename().string().rfind("patches", 0) == 0) s.samples.push_back({e.path().string(), 0});
  std::sort(s.samples.begin(), s.samples.end(), [](auto& a, auto& b) { return a.path < b.path; });
  const auto groups = duplicate_groups(s);
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    const auto sp = stratified_split(s, {0.3, 0.3, seed}, groups);
    int parts_with_dup = 0;
    for (const auto* p : {&sp.train, &sp.val, &sp.test}) {
      bool has = false;
      for (size_t i : *p) has |= s.samples[i].path.find("dup") != std::string::npos || s.samples[i].path.find("patches_1.png") != std::string::npos;
      parts_with_dup += has ? 1 : 0;
    }
    EXPECT_EQ(parts_with_dup, 1) << "seed " << seed;
  }
}

TEST(Split, KFoldIsStratifiedAndDisjoint) {
  const auto s = toy_set(20, 3);
  const auto folds = stratified_folds(s, 5, 0);
  std::vector<std::vector<int>> count(5, std::vector<int>(3, 0));
  for (size_t i = 0; i < folds.size(); ++i) {
    ASSERT_GE(folds[i], 0);
    ++count[static_cast<size_t>(folds[i])][static_cast<size_t>(s.samples[i].label)];
  }
  for (const auto& f : count)
    for (int c : f) EXPECT_EQ(c, 4);
}

TEST(Split, TooLargeSharesAreErrors) {
  const auto s = toy_set(5, 2);
  EXPECT_THROW(stratified_split(s, {0.5, 0.5, 0}), alloyml::InputError);
  EXPECT_THROW(stratified_split(s, {100, 0, 0}), alloyml::InputError);
  EXPECT_THROW(stratified_folds(s, 1, 0), alloyml::InputError);
}

TEST(Split, ByNumberHoldsOutTheHighestNumbersOfEveryClass) {
  // Names as NEU's: the acquisition number after the label; shuffled so that file order does not help.
  ImageSet s;
  s.class_names = {"crazing", "rolled-in_scale"};
  for (int n : {7, 20, 1, 13, 16, 2, 19, 4, 11, 17, 3, 15, 9, 18, 5, 12, 8, 14, 6, 10})
    for (int c = 0; c < 2; ++c) s.samples.push_back({"/d/" + s.class_names[c] + "_" + std::to_string(n) + ".jpg", c});
  SplitOptions o;
  o.val = 0.2;
  o.test = 0.25;
  o.by = "number";
  const auto sp = stratified_split(s, o);
  auto numbers = [&](const std::vector<size_t>& idx, int label) {
    std::set<int> out;
    for (size_t i : idx)
      if (s.samples[i].label == label) {
        const std::string p = s.samples[i].path;
        out.insert(std::stoi(p.substr(p.rfind('_') + 1)));
      }
    return out;
  };
  for (int c = 0; c < 2; ++c) {
    EXPECT_EQ(numbers(sp.test, c), (std::set<int>{16, 17, 18, 19, 20}));
    EXPECT_EQ(numbers(sp.val, c), (std::set<int>{12, 13, 14, 15}));
    EXPECT_EQ(*numbers(sp.train, c).rbegin(), 11);
  }
  // The seed does not matter to an ordered split.
  o.seed = 99;
  const auto again = stratified_split(s, o);
  EXPECT_EQ(again.test, sp.test);
  EXPECT_EQ(again.val, sp.val);
}

TEST(Split, ByNumberNamesAFileWithoutANumber) {
  ImageSet s;
  s.class_names = {"a", "b"};
  s.samples = {{"/d/a_1.png", 0}, {"/d/a_x.png", 0}, {"/d/b_1.png", 1}, {"/d/b_2.png", 1}};
  SplitOptions o;
  o.val = 0;
  o.test = 0.5;
  o.by = "number";
  try {
    stratified_split(s, o);
    FAIL() << "expected an InputError";
  } catch (const alloyml::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("/d/a_x.png: data.split.by is 'number' but the file name has no number"),
              std::string::npos)
        << e.what();
  }
}

TEST(Split, ByManifestColumn) {
  alloyml::testing::TempDir dir;
  std::string csv = "path,label,date\n";
  for (int i = 0; i < 8; ++i) {
    const std::string name = std::string(i % 2 ? "b" : "a") + std::to_string(i) + ".png";
    alloyml::testing::write_file(dir / name, "x");
    csv += name + "," + (i % 2 ? "b" : "a") + "," + std::to_string(20260100 + (8 - i)) + "\n";  // later files, earlier dates
  }
  alloyml::testing::write_file(dir / "m.csv", csv);
  ImageSet s;
  s.source = dir / "m.csv";
  s.class_names = {"a", "b"};
  for (int i = 0; i < 8; ++i)
    s.samples.push_back({dir / (std::string(i % 2 ? "b" : "a") + std::to_string(i) + ".png"), i % 2});
  SplitOptions o;
  o.val = 0;
  o.test = 2;
  o.by = "column:date";
  const auto sp = stratified_split(s, o);
  EXPECT_EQ(sp.test, (std::vector<size_t>{0, 1}));  // a0 and b1 carry the latest dates
}

// data.split.group_by: tiles of one micrograph (the manifest's "source") never fall on both sides
// of a split, whatever the seed; identical files still stay together; a row without a value is a
// group of its own; a manifest without the column is an error naming it.
TEST(Split, GroupByKeepsEveryGroupOnOneSide) {
  alloyml::testing::TempDir dir;
  std::string csv = "path,label,source\n";
  ImageSet s;
  s.source = dir / "tiles.csv";
  s.class_names = {"a", "b"};
  for (int m = 0; m < 12; ++m)      // 12 micrographs, 6 of each class
    for (int t = 0; t < 5; ++t) {  // 5 tiles each
      const std::string name = "m" + std::to_string(m) + "_t" + std::to_string(t) + ".png";
      alloyml::testing::write_file(dir / name, name);  // distinct bytes
      csv += name + "," + (m % 2 ? "b" : "a") + ",micrograph" + std::to_string(m) + ".tif\n";
      s.samples.push_back({dir / name, m % 2});
    }
  alloyml::testing::write_file(dir / "tiles.csv", csv);
  const auto groups = split_groups(s, "source");
  EXPECT_EQ(std::set<size_t>(groups.begin(), groups.end()).size(), 12u);
  for (std::uint64_t seed = 0; seed < 5; ++seed) {
    SplitOptions o;
    o.val = 0.2;
    o.test = 0.2;
    o.seed = seed;
    const auto sp = stratified_split(s, o, groups);
    std::vector<int> side(s.samples.size(), -1);
    for (int p = 0; p < 3; ++p)
      for (size_t i : *std::array<const std::vector<size_t>*, 3>{&sp.train, &sp.val, &sp.test}[static_cast<size_t>(p)]) side[i] = p;
    for (size_t i = 0; i < s.samples.size(); ++i) EXPECT_EQ(side[i], side[i - i % 5]) << "tile " << i << " left its micrograph";
    EXPECT_FALSE(sp.test.empty());
    // Without the groups the same split scatters tiles of a micrograph.
    const auto loose = stratified_split(s, o, duplicate_groups(s));
    std::vector<int> loose_side(s.samples.size(), -1);
    for (size_t i : loose.test) loose_side[i] = 2;
    bool scattered = false;
    for (size_t i = 0; i < s.samples.size(); ++i) scattered |= loose_side[i] != loose_side[i - i % 5];
    EXPECT_TRUE(scattered);
  }
  try {
    split_groups(s, "coil");
    FAIL() << "a missing column was accepted";
  } catch (const alloyml::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("coil"), std::string::npos) << e.what();
  }
  // Rows without a value (the database names no specimen) are each a group of their own.
  std::string partial = "path,label,source\n";
  for (size_t i = 0; i < s.samples.size(); ++i) {
    const std::string name = std::filesystem::path(s.samples[i].path).filename().string();
    partial += name + "," + (s.samples[i].label ? "b" : "a") + "," + (i < 10 ? "" : "micrograph" + std::to_string(i / 5)) + "\n";
  }
  alloyml::testing::write_file(dir / "partial.csv", partial);
  ImageSet p = s;
  p.source = dir / "partial.csv";
  const auto pg = split_groups(p, "source");
  EXPECT_EQ(std::set<size_t>(pg.begin(), pg.begin() + 10).size(), 10u);  // 10 rows without a value: 10 groups
  EXPECT_EQ(std::set<size_t>(pg.begin(), pg.end()).size(), 10u + 10u);    // and the other 10 micrographs
  ImageSet folder = s;
  folder.source = dir.str();
  EXPECT_THROW(split_groups(folder, "source"), alloyml::InputError);  // no manifest
  EXPECT_EQ(split_groups(folder, ""), duplicate_groups(folder));
}

// The perceptual hash: a slightly brightened, noisy or resized copy stays within a few bits; a
// different image of the same kind does not; near_duplicates_across finds a held-out copy of a
// training image and nothing else.
TEST(Split, NearDuplicatesAcrossTheSplit) {
  alloyml::testing::TempDir dir;
  write_surface_defects(dir.str(), 3, 96, 5);
  DataOptions o;
  const ImageSet s = discover_images(dir.str(), o);
  std::vector<cv::Mat> images;
  for (const auto& x : s.samples) images.push_back(cv::imread(x.path, cv::IMREAD_GRAYSCALE));
  std::vector<ImageHash> h;
  for (const auto& m : images) h.push_back(difference_hash(m));
  cv::Mat noise(96, 96, CV_8UC1), copy, small;
  cv::randn(noise, 0, 2);
  copy = images[0] * 1.03 + 3 + noise;
  cv::resize(images[0], small, {60, 60}, 0, 0, cv::INTER_AREA);
  EXPECT_LE(hash_distance(h[0], difference_hash(copy)), 24);  // the threshold training warns at
  EXPECT_LE(hash_distance(h[0], difference_hash(small)), 24);
  for (size_t i = 1; i < h.size(); ++i) EXPECT_GT(hash_distance(h[0], h[i]), 24) << s.samples[i].path;
  // Image 0 in train, its copy held out (index n), everything else spread over the parts.
  std::vector<ImageHash> all = h;
  all.push_back(difference_hash(copy));
  Split sp;
  for (size_t i = 0; i < h.size(); ++i) (i % 3 == 0 ? sp.train : i % 3 == 1 ? sp.val : sp.test).push_back(i);
  sp.test.push_back(h.size());
  const auto near = near_duplicates_across(all, sp, 24);
  ASSERT_EQ(near.size(), 1u);
  EXPECT_EQ(near[0], std::make_pair(h.size(), size_t{0}));
}
