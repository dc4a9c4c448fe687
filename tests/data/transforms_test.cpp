#include <gtest/gtest.h>

#include <algorithm>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "alloyml/core/error.h"
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

// augment.scale zooms about the centre by a factor in [1 - s, 1 + s]: a centred bright disc's area
// changes by that factor squared, and the draws of the other augmentations are not shifted.
TEST(Transforms, ZoomScalesACentredDiscWithinItsRange) {
  cv::Mat img(64, 64, CV_8UC1, cv::Scalar(0));
  cv::circle(img, cv::Point(32, 32), 12, cv::Scalar(255), cv::FILLED);
  const double area = cv::countNonZero(img);
  TransformOptions o;
  o.size = 64;
  o.channels = 1;
  o.scaling = "range";
  o.mean = {0.0};
  o.std = {1.0};
  o.augment.hflip = 0;
  o.augment.scale = 0.4;
  std::vector<float> out(64 * 64);
  double smallest = 1e9, largest = 0;
  for (int seed = 0; seed < 40; ++seed) {
    std::mt19937_64 rng(static_cast<std::uint64_t>(seed));
    to_model_input(img, o, true, rng, out.data());
    const double bright = static_cast<double>(std::count_if(out.begin(), out.end(), [](float v) { return v > 0.5f; }));
    const double ratio = bright / area;
    smallest = std::min(smallest, ratio);
    largest = std::max(largest, ratio);
    EXPECT_GT(ratio, 0.6 * 0.6 * 0.9) << seed;
    EXPECT_LT(ratio, 1.4 * 1.4 * 1.1) << seed;
  }
  EXPECT_LT(smallest, 0.8);  // both ways, over 40 draws
  EXPECT_GT(largest, 1.25);
}

TEST(Transforms, BlurSoftensAnEdgeAndIsOffAtZero) {
  cv::Mat img(32, 32, CV_8UC1, cv::Scalar(0));
  img(cv::Rect(16, 0, 16, 32)).setTo(255);
  TransformOptions o;
  o.size = 32;
  o.channels = 1;
  o.scaling = "range";
  o.mean = {0.0};
  o.std = {1.0};
  o.augment.hflip = 0;
  std::vector<float> sharp(32 * 32), soft(32 * 32);
  std::mt19937_64 r1(3), r2(3);
  to_model_input(img, o, true, r1, sharp.data());
  EXPECT_FLOAT_EQ(sharp[16 * 32 + 15], 0.0f);
  EXPECT_FLOAT_EQ(sharp[16 * 32 + 16], 1.0f);
  o.augment.blur = 4.0;
  int blurred = 0;
  for (int seed = 0; seed < 10; ++seed) {
    std::mt19937_64 rng(static_cast<std::uint64_t>(seed));
    to_model_input(img, o, true, rng, soft.data());
    const float left = soft[16 * 32 + 15], right = soft[16 * 32 + 16];
    EXPECT_GE(left, 0.0f);
    EXPECT_LE(right, 1.0f);
    if (left > 0.05f && right < 0.95f) ++blurred;
  }
  EXPECT_GE(blurred, 7);  // sigma is uniform in [0, 4]; above about 0.6 px the edge pixels move
}

// input.um_per_px (issue 36): an image at 0.5 um/px resampled to 0.25 um/px doubles in size, one
// at 0.1 um/px shrinks fivefold and is then reflected up to the crop size, a stripe keeps its
// physical period.
TEST(Transforms, ResampleToScaleKeepsMicrometres) {
  cv::Mat stripes(100, 120, CV_8UC1);
  for (int y = 0; y < stripes.rows; ++y)
    for (int x = 0; x < stripes.cols; ++x) stripes.at<uchar>(y, x) = (x / 10) % 2 ? 200 : 50;  // period 20 px
  const cv::Mat up = resample_to_scale(stripes, 0.5, 0.25, 64);
  EXPECT_EQ(up.size(), cv::Size(240, 200));
  EXPECT_EQ(up.at<uchar>(100, 5), 50);    // the first stripe now spans 20 px
  EXPECT_EQ(up.at<uchar>(100, 25), 200);
  const cv::Mat down = resample_to_scale(stripes, 0.1, 0.5, 64);  // 24 x 20, below the crop
  EXPECT_GE(down.cols, 64);
  EXPECT_GE(down.rows, 64);
  const cv::Mat tiny = resample_to_scale(stripes, 0.01, 1.0, 32);  // 1 x 1 after resampling
  EXPECT_EQ(tiny.size(), cv::Size(32, 32));
  EXPECT_THROW(resample_to_scale(stripes, 0, 0.5, 64), alloyml::Error);
}

// augment.test_time tiles (issue 36): the fewest tiles that cover the image, spread evenly.
TEST(Transforms, TilesCoverTheImageEvenly) {
  EXPECT_EQ(tile_origins(224, 224), (std::vector<int>{0}));
  EXPECT_EQ(tile_origins(100, 224), (std::vector<int>{0}));
  EXPECT_EQ(tile_origins(448, 224), (std::vector<int>{0, 224}));
  EXPECT_EQ(tile_origins(645, 224), (std::vector<int>{0, 211, 421}));  // a UHCS micrograph's width
  EXPECT_TRUE(scores_tiles("tiles+d4"));
  EXPECT_FALSE(scores_tiles("d4"));
  EXPECT_EQ(crop_views("tiles"), "none");
  EXPECT_EQ(crop_views("tiles+flip"), "flip");
  EXPECT_EQ(crop_views("d4"), "d4");
}

// input.max_rescale: an image far from the target scale is resampled by the largest factor only.
TEST(Transforms, ResampleToScaleClampsTheFactor) {
  const cv::Mat img(50, 40, CV_8UC1, cv::Scalar(7));
  bool clamped = false;
  EXPECT_EQ(resample_to_scale(img, 5.0, 0.1, 8, 8, &clamped).size(), cv::Size(320, 400));  // 50x wanted, 8x taken
  EXPECT_TRUE(clamped);
  EXPECT_EQ(resample_to_scale(img, 0.2, 0.1, 8, 8, &clamped).size(), cv::Size(80, 100));
  EXPECT_FALSE(clamped);
}

TEST(Transforms, RandomResizedCropTakesAnAreaFractionAtAnyPlace) {
  // A horizontal ramp: a crop's mean tells where it was taken, its spread how wide it was.
  cv::Mat ramp(100, 200, CV_8UC1);
  for (int x = 0; x < 200; ++x) ramp.col(x).setTo(x);
  std::mt19937_64 rng(5);
  double lo = 255, hi = 0, narrowest = 255, widest = 0;
  for (int i = 0; i < 200; ++i) {
    const cv::Mat c = random_resized_crop(ramp, 32, 0.2, rng);
    ASSERT_EQ(c.size(), cv::Size(32, 32));
    double mn = 0, mx = 0;
    cv::minMaxLoc(c, &mn, &mx);
    const double mean = cv::mean(c)[0];
    lo = std::min(lo, mean), hi = std::max(hi, mean);
    narrowest = std::min(narrowest, mx - mn), widest = std::max(widest, mx - mn);
    // At least 20 % of the 200 x 100 area at an aspect of at most 4/3: at least ~ 57 px wide.
    EXPECT_GE(mx - mn, 50);
  }
  EXPECT_LT(lo, 70);    // crops near the left edge
  EXPECT_GT(hi, 130);   // and near the right
  EXPECT_LT(narrowest, 90);
  EXPECT_GT(widest, 120);  // areas from a fifth to most of the image (a 4/3 crop of the full height is 133 px wide)
}
