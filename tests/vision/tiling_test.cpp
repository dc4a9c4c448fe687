#include <gtest/gtest.h>

#include <random>

#include <opencv2/imgproc.hpp>

#include "alloyml/vision/tiling.h"

using namespace alloyml::vision;

namespace {
// A textured micrograph body (grains of random grey with noise) with, optionally, an SEM-style
// data bar: `bar` black rows at the bottom carrying white text.
cv::Mat micrograph(int w, int h, int bar, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> level(60, 200), pos(0, std::max(w, h));
  cv::Mat img(h, w, CV_8UC1, cv::Scalar(128));
  for (int k = 0; k < 300; ++k) cv::circle(img, {pos(rng) % w, pos(rng) % h}, 6 + pos(rng) % 20, cv::Scalar(level(rng)), cv::FILLED);
  cv::Mat noise(h, w, CV_8UC1);
  cv::randn(noise, 0, 12);
  img += noise;
  if (bar > 0) {
    img.rowRange(h - bar, h).setTo(0);
    cv::putText(img, "20 kV  x2000  10 um  SE", {10, h - bar / 3}, cv::FONT_HERSHEY_SIMPLEX, 0.6, cv::Scalar(255), 1);
  }
  return img;
}
}  // namespace

TEST(Tiling, DetectsTheDataBarAndOnlyIt) {
  EXPECT_EQ(detect_info_bar(micrograph(320, 240, 40, 1)), 40);
  EXPECT_EQ(detect_info_bar(micrograph(320, 240, 0, 2)), 0);
  cv::Mat colour;
  cv::cvtColor(micrograph(320, 240, 25, 3), colour, cv::COLOR_GRAY2BGR);
  EXPECT_EQ(detect_info_bar(colour), 25);
}

TEST(Tiling, OriginsCoverTheImageWithoutPadding) {
  const auto o = tile_origins(1024, 700, 224, 224);
  EXPECT_EQ(o.size(), 4u * 3u);  // 4 across (896 px), 3 down (672 px)
  EXPECT_EQ(o.back(), cv::Point(672, 448));
  EXPECT_EQ(tile_origins(300, 224, 224, 38).size(), 3u);  // x = 0, 38, 76
  EXPECT_TRUE(tile_origins(100, 100, 224, 224).empty());
}

TEST(Tiling, ScreensBlankSaturatedAndBlurredTiles) {
  const TileScreen s;
  const cv::Mat textured = micrograph(64, 64, 0, 4);
  EXPECT_EQ(screen_tile(textured, s), "keep");
  EXPECT_EQ(screen_tile(cv::Mat(64, 64, CV_8UC1, cv::Scalar(90)), s), "blank");
  cv::Mat white = textured.clone();
  white.rowRange(0, 40).setTo(255);
  EXPECT_EQ(screen_tile(white, s), "saturated");
  cv::Mat ramp(64, 64, CV_8UC1);
  for (int x = 0; x < 64; ++x) ramp.col(x).setTo(x * 3);  // a smooth gradient: contrast but no detail
  EXPECT_EQ(screen_tile(ramp, s), "blurred");
  cv::Mat deep(64, 64, CV_16UC1);
  textured.convertTo(deep, CV_16U, 257);
  EXPECT_EQ(screen_tile(deep, s), "keep");  // 16-bit judged on the same scale
}
