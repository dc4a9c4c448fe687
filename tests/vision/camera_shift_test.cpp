#include <gtest/gtest.h>

#include <cmath>

#include "alloyml/vision/camera_shift.h"

using alloyml::vision::camera_shift;
using alloyml::vision::CameraShift;

// Without blur and noise each pixel follows the documented chain by hand: gain from the gradient
// (1 - g at the left edge, 1 + g at the right for angle 0), gamma, contrast about mid-grey.
TEST(CameraShift, GradientGammaAndContrastByHand) {
  CameraShift s;
  s.blur = 0;
  s.noise = 0;
  s.angle_deg = 0;
  s.gradient = 0.4;
  s.gamma = 0.5;
  s.contrast = 0.8;
  const cv::Mat flat(9, 11, CV_16UC1, cv::Scalar(0.5 * 65535));
  const cv::Mat out = camera_shift(flat, s, 1);
  ASSERT_EQ(out.type(), CV_16UC1);
  auto expect = [&](double gain) { return (0.5 + 0.8 * (std::sqrt(0.5 * gain) - 0.5)) * 65535; };
  for (int r : {0, 4, 8}) {
    EXPECT_NEAR(out.at<uint16_t>(r, 0), expect(0.6), 2);
    EXPECT_NEAR(out.at<uint16_t>(r, 5), expect(1.0), 2);
    EXPECT_NEAR(out.at<uint16_t>(r, 10), expect(1.4), 2);
  }
  s.angle_deg = 90;  // top to bottom now
  const cv::Mat down = camera_shift(flat, s, 1);
  EXPECT_NEAR(down.at<uint16_t>(0, 10), expect(0.6), 2);
  EXPECT_NEAR(down.at<uint16_t>(8, 0), expect(1.4), 2);
}

// The noise is the seed's: the same seed gives the same image, another seed another; its spread
// is the asked one; colour images keep three channels and 8 bits.
TEST(CameraShift, SeededNoiseOfTheAskedSpread) {
  CameraShift s;
  s.blur = 0;
  s.gradient = 0;
  s.gamma = 1;
  s.contrast = 1;
  s.noise = 0.05;
  const cv::Mat grey(64, 64, CV_8UC3, cv::Scalar(128, 128, 128));
  const cv::Mat a = camera_shift(grey, s, 7), b = camera_shift(grey, s, 7), c = camera_shift(grey, s, 8);
  ASSERT_EQ(a.type(), CV_8UC3);
  EXPECT_EQ(cv::norm(a, b, cv::NORM_INF), 0);
  EXPECT_GT(cv::norm(a, c, cv::NORM_INF), 0);
  cv::Scalar mean, sd;
  cv::meanStdDev(a.reshape(1), mean, sd);
  EXPECT_NEAR(mean[0], 128, 1.5);
  EXPECT_NEAR(sd[0] / 255.0, 0.05, 0.005);
}

// The blur spreads a bright line: its peak drops and its neighbours rise.
TEST(CameraShift, BlurSpreadsALine) {
  CameraShift s;
  s.gradient = 0;
  s.gamma = 1;
  s.contrast = 1;
  s.noise = 0;
  s.blur = 1.5;
  cv::Mat line(21, 21, CV_8UC1, cv::Scalar(0));
  line.col(10).setTo(255);
  const cv::Mat out = camera_shift(line, s, 0);
  EXPECT_LT(out.at<uint8_t>(10, 10), 200);
  EXPECT_GT(out.at<uint8_t>(10, 9), 30);
  EXPECT_EQ(out.at<uint8_t>(10, 0), 0);
}
