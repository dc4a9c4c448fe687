#include <gtest/gtest.h>

#include "alloyml/vision/plot.h"
#include "alloyml/vision/preprocess.h"

using namespace alloyml::vision;

TEST(Plot, LineChartDrawsTheSeriesColour) {
  const cv::Mat img = line_chart({{"loss", {1, 2, 3}, {3, 2, 1}}}, "t", "epoch", "loss");
  EXPECT_EQ(img.size(), cv::Size(640, 400));
  // Some pixels carry the first palette colour (BGR 180,119,31).
  cv::Mat mask;
  cv::inRange(img, cv::Scalar(170, 110, 20), cv::Scalar(190, 130, 40), mask);
  EXPECT_GT(cv::countNonZero(mask), 100);
}

TEST(Plot, NanPointsAndEmptySeriesDoNotCrash) {
  EXPECT_FALSE(line_chart({{"x", {1, 2}, {NAN, NAN}}}, "t", "x", "y").empty());
  EXPECT_FALSE(line_chart({}, "t", "x", "y").empty());
}

TEST(Plot, ConfusionImageGrowsWithClasses) {
  const auto a = confusion_image({{1, 0}, {0, 1}}, {"a", "b"});
  const auto b = confusion_image({{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}, {"a", "b", "c"});
  EXPECT_GT(b.cols, a.cols - 1);
}

TEST(Preprocess, ContrastStretchUsesTheFullRange) {
  cv::Mat img(10, 10, CV_8UC1, cv::Scalar(100));
  img(cv::Rect(0, 0, 5, 10)).setTo(120);
  const cv::Mat s = contrast_stretch(img, 0.0);
  double lo, hi;
  cv::minMaxLoc(s, &lo, &hi);
  EXPECT_EQ(lo, 0);
  EXPECT_EQ(hi, 255);
}

TEST(Preprocess, OtsuMarksTheMinorityPhase) {
  cv::Mat img(20, 20, CV_8UC1, cv::Scalar(200));
  img(cv::Rect(2, 2, 4, 4)).setTo(30);
  const cv::Mat m = otsu_mask(img);
  EXPECT_EQ(cv::countNonZero(m), 16);
  EXPECT_EQ(m.at<uchar>(3, 3), 255);
}
