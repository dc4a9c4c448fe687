#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>

#include <opencv2/imgcodecs.hpp>

#include "alloyml/classical/knn.h"
#include "alloyml/classical/texture.h"
#include "alloyml/core/error.h"
#include "alloyml/data/synthetic.h"
#include "test_util.h"

using namespace alloyml::classical;

TEST(Lbp, HandComputedCodes) {
  // Constant image: every neighbour equals the centre (>= counts as 1): a uniform code P inside;
  // one bright pixel: all its neighbours are darker, code 0.
  cv::Mat flat(20, 20, CV_8UC1, cv::Scalar(100));
  EXPECT_EQ(lbp_uniform(flat, 8, 1.0).at<int>(10, 10), 8);
  EXPECT_EQ(lbp_uniform(flat, 16, 2.0).at<int>(10, 10), 16);
  flat.at<uchar>(10, 10) = 200;
  EXPECT_EQ(lbp_uniform(flat, 8, 1.0).at<int>(10, 10), 0);
  // Left half dark, right half bright: the first bright pixel sees its western neighbours (NW, W,
  // SW; 0 = east, then counter-clockwise) darker and the rest equal: 1 1 1 0 0 0 1 1, two changes
  // in skimage's unwrapped order, uniform, 5 ones.
  cv::Mat edge(20, 20, CV_8UC1, cv::Scalar(10));
  edge(cv::Rect(10, 0, 10, 20)).setTo(200);
  EXPECT_EQ(lbp_uniform(edge, 8, 1.0).at<int>(10, 10), 5);
  // East and west brighter, north and south darker: 1 0 1 0, three changes: not uniform, P + 1.
  cv::Mat cross(20, 20, CV_8UC1, cv::Scalar(100));
  cross.at<uchar>(10, 11) = cross.at<uchar>(10, 9) = 200;
  cross.at<uchar>(9, 10) = cross.at<uchar>(11, 10) = 0;
  EXPECT_EQ(lbp_uniform(cross, 4, 1.0).at<int>(10, 10), 5);
  const auto f = lbp_features(flat, {});
  ASSERT_EQ(f.size(), 10u + 18u + 26u);
  double sum = 0;
  for (size_t i = 0; i < 10; ++i) sum += f[i];
  EXPECT_NEAR(sum, 1.0, 1e-6);  // each scale's histogram is normalised
}

TEST(Hog, VerticalEdgeVotesIntoTheZeroDegreeBin) {
  cv::Mat edge(64, 64, CV_8UC1, cv::Scalar(0));
  edge(cv::Rect(24, 0, 40, 64)).setTo(255);  // an edge inside the second column of 16 px cells
  const HogOptions o;
  const auto f = hog_features(edge, o);
  ASSERT_EQ(f.size(), 3u * 3 * 2 * 2 * 9);  // 4x4 cells, 3x3 blocks of 2x2 cells, 9 bins
  // Block (0, 0) holds cells (0,0), (0,1), (1,0), (1,1); cell (0,1) has all its gradient at 0 degrees.
  const size_t cell01 = 1 * 9;
  EXPECT_GT(f[cell01 + 0], 0.1f);
  for (int b = 1; b < 9; ++b) EXPECT_FLOAT_EQ(f[cell01 + static_cast<size_t>(b)], 0.0f) << b;
  // L2-Hys: the block's values are clipped at 0.2 before the second normalisation, so none is above 1.
  for (float v : f) {
    EXPECT_GE(v, 0.0f);
    EXPECT_LE(v, 1.0f);
  }
  EXPECT_THROW(hog_features(cv::Mat(20, 20, CV_8UC1, cv::Scalar(0)), o), alloyml::InputError);
}

TEST(Gabor, TheFilterOfAGratingsFrequencyAndOrientationRespondsMost) {
  cv::Mat grating(96, 96, CV_8UC1);
  for (int r = 0; r < 96; ++r)
    for (int c = 0; c < 96; ++c)
      grating.at<uchar>(r, c) = static_cast<uchar>(127.5 + 120 * std::cos(2 * M_PI * 0.2 * c));  // varies along x
  const GaborOptions o;
  const auto f = gabor_features(grating, o);
  ASSERT_EQ(f.size(), 4u * 4 * 2);
  size_t best = 0;
  for (size_t i = 0; i < f.size(); i += 2)
    if (f[i] > f[best]) best = i;
  EXPECT_EQ(best / 2, 1u * 4 + 0);  // frequency 0.2 (index 1), orientation 0
  // The kernel: odd side, the imaginary part odd-symmetric, the real part even-symmetric.
  const cv::Mat re = gabor_kernel(0.1, 0.3, 1.0, false), im = gabor_kernel(0.1, 0.3, 1.0, true);
  ASSERT_EQ(re.rows % 2, 1);
  cv::Mat flipped;
  cv::flip(im, flipped, -1);
  EXPECT_LT(cv::norm(im + flipped, cv::NORM_INF), 1e-15);
  cv::flip(re, flipped, -1);
  EXPECT_LT(cv::norm(re - flipped, cv::NORM_INF), 1e-15);
}

TEST(Texture, MatchesScikitImage) {
  if (std::system("/usr/bin/python3 -c 'import skimage' > /dev/null 2>&1") != 0)
    GTEST_SKIP() << "python3-skimage is not installed (scripts/setup.sh --peers)";
  alloyml::testing::TempDir dir;
  alloyml::data::write_surface_defects(dir.str(), 1, 64, 2);
  for (const char* name : {"crazing_1.png", "scratches_1.png"})
    for (const char* kind : {"gabor", "lbp", "hog"}) {
      const std::string path = dir / name;
      const std::string cmd = "/usr/bin/python3 " + alloyml::testing::source_dir() + "/tests/classical/texture_reference.py " +
                              path + " " + kind + " > " + (dir / "ref.txt");
      ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
      std::ifstream in(dir / "ref.txt");
      std::vector<double> ref;
      for (double v; in >> v;) ref.push_back(v);
      const auto ours = texture_features(kind, cv::imread(path, cv::IMREAD_GRAYSCALE));
      ASSERT_EQ(ours.size(), ref.size()) << kind;
      for (size_t i = 0; i < ref.size(); ++i)
        EXPECT_NEAR(ours[i], ref[i], 1e-4 * (1 + std::abs(ref[i]))) << name << " " << kind << " feature " << i;
    }
}

TEST(Knn, ChoosesKOnValidationVotesAndSurvivesSaveLoad) {
  // Two classes on a line; one mislabelled training point sits inside class 0: k = 1 copies its
  // label to the validation point beside it, a larger k outvotes it.
  cv::Mat tx = (cv::Mat_<float>(7, 1) << 0.0f, 0.1f, 0.2f, 0.3f, 5.0f, 5.1f, 5.2f);
  const std::vector<int> ty{0, 0, 1, 0, 1, 1, 1};
  cv::Mat vx = (cv::Mat_<float>(2, 1) << 0.21f, 5.05f);
  const std::vector<int> vy{0, 1};
  KnnClassifier knn;
  knn.ks = {1, 3};
  knn.fit(tx, ty, vx, vy, 2);
  EXPECT_EQ(knn.k, 3);
  EXPECT_DOUBLE_EQ(knn.selection_accuracy, 1.0);
  const cv::Mat d = knn.decision(vx);
  EXPECT_NEAR(d.at<float>(0, 0), 2.0f / 3, 1e-6);  // neighbours 0.2 (1), 0.3 (0), 0.1 (0)
  EXPECT_NEAR(d.at<float>(1, 1), 1.0f, 1e-6);
  alloyml::testing::TempDir dir;
  knn.save(dir / "gabor_knn");
  KnnClassifier back;
  back.load(dir / "gabor_knn");
  EXPECT_EQ(back.k, 3);
  EXPECT_LT(cv::norm(back.decision(vx) - d, cv::NORM_INF), 1e-6);
  EXPECT_THROW(back.load(dir / "missing"), alloyml::InputError);
}
