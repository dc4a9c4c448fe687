#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include <opencv2/imgproc.hpp>

#include "alloyml/vision/quantify.h"

using namespace alloyml::vision;

// Drawn shapes whose measures are known by hand: a 10 x 6 rectangle (60 px, centroid at its
// centre, outline through the pixel centres 2 (9 + 5) = 28 px), a disc of radius 20 (area and
// perimeter of the circle within the pixel grid's error) and a speck below min_area (dropped).
TEST(Quantify, DrawnShapesByHand) {
  cv::Mat mask(100, 120, CV_8UC1, cv::Scalar(0));
  mask(cv::Rect(5, 4, 10, 6)).setTo(255);
  cv::circle(mask, {70, 50}, 20, cv::Scalar(255), cv::FILLED);
  mask(cv::Rect(110, 90, 2, 2)).setTo(255);
  const auto m = measure_regions(mask, 5);
  ASSERT_EQ(m.regions.size(), 2u);
  const Region& disc = m.regions[0];  // largest first
  const Region& rect = m.regions[1];
  EXPECT_DOUBLE_EQ(rect.area, 60);
  EXPECT_DOUBLE_EQ(rect.cx, 9.5);
  EXPECT_DOUBLE_EQ(rect.cy, 6.5);
  EXPECT_EQ(rect.box, cv::Rect(5, 4, 10, 6));
  EXPECT_NEAR(rect.perimeter, 28, 1e-9);
  EXPECT_NEAR(disc.area, M_PI * 20 * 20, 0.03 * M_PI * 400);
  EXPECT_NEAR(disc.cx, 70, 1e-9);
  EXPECT_NEAR(disc.cy, 50, 1e-9);
  EXPECT_NEAR(disc.perimeter, 2 * M_PI * 20, 0.1 * 2 * M_PI * 20);  // an 8-connected outline
  EXPECT_DOUBLE_EQ(m.image_area, 12000);
  EXPECT_DOUBLE_EQ(m.defect_area, disc.area + 60);
  EXPECT_NEAR(m.area_ratio(), (disc.area + 60) / 12000, 1e-12);
  EXPECT_NEAR(m.k(), (disc.perimeter + 28) / (disc.area + 60), 1e-12);
  EXPECT_EQ(measure_regions(mask, 1).regions.size(), 3u);  // the speck counts when allowed
  EXPECT_EQ(measure_regions(cv::Mat(8, 8, CV_8UC1, cv::Scalar(0)), 1).k(), 0.0);
}

// Through the paper's pre-processing: a dark noisy blob on a brighter noisy strip is found as one
// region where it was drawn; a thin line has a much larger K than a compact blob.
TEST(Quantify, PreprocessingFindsADarkDefect) {
  std::mt19937 rng(3);
  std::normal_distribution<double> noise(0, 6);
  cv::Mat img(120, 120, CV_8UC1, cv::Scalar(170));
  cv::circle(img, {40, 70}, 15, cv::Scalar(70), cv::FILLED);
  for (int y = 0; y < img.rows; ++y)
    for (int x = 0; x < img.cols; ++x) img.at<uint8_t>(y, x) = cv::saturate_cast<uint8_t>(img.at<uint8_t>(y, x) + noise(rng));
  cv::Mat mask;
  const auto m = quantify_defects(img, QuantifyOptions{}, &mask);
  ASSERT_EQ(m.regions.size(), 1u);
  EXPECT_NEAR(m.regions[0].cx, 40, 1.5);
  EXPECT_NEAR(m.regions[0].cy, 70, 1.5);
  EXPECT_NEAR(m.regions[0].area, M_PI * 15 * 15, 0.15 * M_PI * 225);
  EXPECT_EQ(mask.size(), img.size());
  cv::Mat line(120, 120, CV_8UC1, cv::Scalar(170));
  cv::line(line, {10, 10}, {110, 100}, cv::Scalar(60), 2);
  EXPECT_GT(quantify_defects(line, QuantifyOptions{}).k(), 3 * m.k());
  const cv::Mat overlay = region_overlay(img, mask, m);
  EXPECT_EQ(overlay.type(), CV_8UC3);
  EXPECT_GE(overlay.cols, 400);
}
