#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>

#include "alloyml/data/transforms.h"
#include "test_util.h"

using namespace alloyml::data;

TEST(Transforms, GrayscaleIsReplicatedToThreeChannels) {
  alloyml::testing::TempDir dir;
  cv::imwrite(dir / "g.png", cv::Mat(10, 12, CV_8UC1, cv::Scalar(77)));
  const cv::Mat img = decode_image(dir / "g.png", 3);
  ASSERT_EQ(img.channels(), 3);
  EXPECT_EQ(img.at<cv::Vec3b>(3, 3), cv::Vec3b(77, 77, 77));
}

TEST(Transforms, ColourIsRgbAndGrayConversionWorks) {
  alloyml::testing::TempDir dir;
  cv::imwrite(dir / "c.png", cv::Mat(4, 4, CV_8UC3, cv::Scalar(10, 20, 30)));  // BGR on disk
  EXPECT_EQ(decode_image(dir / "c.png", 3).at<cv::Vec3b>(0, 0), cv::Vec3b(30, 20, 10));
  EXPECT_EQ(decode_image(dir / "c.png", 1).channels(), 1);
}

TEST(Transforms, CorruptFileDecodesToEmpty) {
  alloyml::testing::TempDir dir;
  alloyml::testing::write_file(dir / "broken.jpg", "\xFF\xD8\xFF\xE0 not really a jpeg");
  EXPECT_TRUE(decode_image(dir / "broken.jpg", 3).empty());
}

TEST(Transforms, MinMaxThenMeanStd) {
  // Luo et al. Eqs. 19-20: a 2-level image maps to {0, 1}, then (x - 0.5) / 0.5 -> {-1, 1}.
  cv::Mat img(4, 4, CV_8UC1, cv::Scalar(50));
  img(cv::Rect(0, 0, 2, 4)).setTo(150);
  TransformOptions o;
  o.size = 4;
  o.channels = 1;
  o.scaling = "minmax";
  o.mean = {0.5};
  o.std = {0.5};
  std::vector<float> out(16);
  std::mt19937_64 rng(0);
  to_model_input(img, o, false, rng, out.data());
  EXPECT_FLOAT_EQ(out[0], 1.0f);
  EXPECT_FLOAT_EQ(out[3], -1.0f);
}

TEST(Transforms, RangeScalingDividesBy255) {
  cv::Mat img(2, 2, CV_8UC1, cv::Scalar(255));
  TransformOptions o;
  o.size = 2;
  o.channels = 1;
  o.mean = {0.0};
  o.std = {1.0};
  std::vector<float> out(4);
  std::mt19937_64 rng(0);
  to_model_input(img, o, false, rng, out.data());
  EXPECT_FLOAT_EQ(out[0], 1.0f);
}

TEST(Transforms, ResizeKeepsAspectThenCentreCrops) {
  TransformOptions o;
  o.size = 32;
  o.resize = 40;
  const cv::Mat r = resize_for_model(cv::Mat(100, 200, CV_8UC1, cv::Scalar(0)), o);
  EXPECT_EQ(r.rows, 40);
  EXPECT_EQ(r.cols, 80);
  o.resize = 0;
  EXPECT_EQ(resize_for_model(r, o).size(), cv::Size(32, 32));
}

TEST(Transforms, AugmentationIsSeededAndChangesTheImage) {
  cv::Mat img(16, 16, CV_8UC1);
  cv::randu(img, 0, 255);
  TransformOptions o;
  o.size = 16;
  o.channels = 1;
  o.augment.hflip = 1.0;
  std::vector<float> a(256), b(256), plain(256);
  std::mt19937_64 r1(5), r2(5), r3(5);
  to_model_input(img, o, true, r1, a.data());
  to_model_input(img, o, true, r2, b.data());
  to_model_input(img, o, false, r3, plain.data());
  EXPECT_EQ(a, b);
  EXPECT_NE(a, plain);
  EXPECT_FLOAT_EQ(a[0], plain[15]);  // mirrored row
}
