// Mosaic and fusion (Huang et al. 2023, Section 3.1.2): sizes, tile placement, seam blur.
#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "alloyml/data/mosaic.h"

using namespace alloyml;

namespace {

// A flat grey tile of `value` with an isolated bright pixel every 4 px (what a median removes).
cv::Mat speckled(int value) {
  cv::Mat m(32, 32, CV_8UC1, cv::Scalar(value));
  for (int y = 1; y < 32; y += 4)
    for (int x = 1; x < 32; x += 4) m.at<uchar>(y, x) = 255;
  return m;
}

}  // namespace

TEST(Mosaic, TilesInPlaceSeamsBlurredAndBackToSize) {
  const std::array<cv::Mat, 4> tiles{speckled(10), speckled(60), speckled(110), speckled(160)};
  const cv::Mat big = data::stitch_mosaic(tiles, 3);
  ASSERT_EQ(big.size(), cv::Size(64, 64));
  // Each tile in its quadrant (away from the seams the speckles stay).
  EXPECT_EQ(big.at<uchar>(8, 8), 10);
  EXPECT_EQ(big.at<uchar>(8, 48), 60);
  EXPECT_EQ(big.at<uchar>(48, 8), 110);
  EXPECT_EQ(big.at<uchar>(48, 48), 160);
  EXPECT_EQ(big.at<uchar>(5, 5), 255);
  // Within 3 px of a seam, the median removed every speckle (tile 0's pixel (29, 5) and the one
  // of tile 1 at column 32 + 1 are in the bands).
  EXPECT_EQ(big.at<uchar>(29, 5), 10);
  EXPECT_EQ(big.at<uchar>(5, 33), 60);
  int speckles_in_bands = 0;
  for (int y = 0; y < 64; ++y)
    for (int x = 0; x < 64; ++x)
      if ((std::abs(x - 31.5) < 3 || std::abs(y - 31.5) < 3) && big.at<uchar>(y, x) == 255) ++speckles_in_bands;
  EXPECT_EQ(speckles_in_bands, 0);
  const cv::Mat small = data::mosaic(tiles, 3);
  EXPECT_EQ(small.size(), tiles[0].size());
  EXPECT_EQ(small.type(), tiles[0].type());
}

TEST(Mosaic, FusionBlendsAndResizes) {
  const cv::Mat a(20, 20, CV_8UC3, cv::Scalar(100, 100, 100)), b(40, 40, CV_8UC3, cv::Scalar(200, 0, 100));
  const cv::Mat f = data::fuse(a, b, 0.5);
  ASSERT_EQ(f.size(), a.size());
  EXPECT_EQ(f.at<cv::Vec3b>(10, 10), cv::Vec3b(150, 50, 100));
}
