#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include <opencv2/imgcodecs.hpp>

#include "alloyml/classical/glcm.h"
#include "alloyml/classical/svm.h"
#include "alloyml/data/synthetic.h"
#include "test_util.h"

using namespace alloyml::classical;

TEST(Glcm, HandComputedTwoByTwo) {
  // Image [[0, 1], [1, 0]] at distance 1, angle 0: pairs (0,1), (1,0), symmetric -> 4 counts.
  cv::Mat q = (cv::Mat_<uchar>(2, 2) << 0, 1, 1, 0);
  const cv::Mat p = cooccurrence(q, 2, 1, 0, true);
  EXPECT_DOUBLE_EQ(p.at<double>(0, 1), 0.5);
  EXPECT_DOUBLE_EQ(p.at<double>(0, 0), 0.0);
  const auto props = glcm_properties(p);
  EXPECT_DOUBLE_EQ(props[0], 1.0);        // contrast
  EXPECT_DOUBLE_EQ(props[2], 0.5);        // homogeneity
  EXPECT_DOUBLE_EQ(props[5], 0.5);        // ASM
  EXPECT_NEAR(props[3], std::sqrt(0.5), 1e-15);  // energy
  EXPECT_DOUBLE_EQ(props[4], -1.0);       // perfectly anti-correlated
}

TEST(Glcm, FeatureCountIsPropertiesTimesOffsets) {
  cv::Mat img(20, 20, CV_8UC1);
  cv::randu(img, 0, 255);
  EXPECT_EQ(glcm_features(img, {}).size(), 6u * 3 * 4);
}

TEST(Glcm, MatchesScikitImage) {
  if (std::system("/usr/bin/python3 -c 'import skimage' > /dev/null 2>&1") != 0)
    GTEST_SKIP() << "python3-skimage is not installed (scripts/setup.sh --peers)";
  alloyml::testing::TempDir dir;
  alloyml::data::write_surface_defects(dir.str(), 1, 48, 2);
  for (const char* name : {"crazing_1.png", "patches_1.png"}) {
    const std::string path = dir / name;
    const std::string cmd = "/usr/bin/python3 " + alloyml::testing::source_dir() +
                            "/tests/classical/glcm_reference.py " + path + " 64 > " + (dir / "ref.txt");
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    std::ifstream in(dir / "ref.txt");
    std::vector<double> ref;
    for (double v; in >> v;) ref.push_back(v);
    const auto ours = glcm_features(cv::imread(path, cv::IMREAD_GRAYSCALE), {});
    ASSERT_EQ(ours.size(), ref.size());
    for (size_t i = 0; i < ref.size(); ++i)
      EXPECT_NEAR(ours[i], ref[i], 1e-5 * (1 + std::abs(ref[i]))) << name << " feature " << i;
  }
}

TEST(Svm, OneVsRestScoresPickTheRightClassAndSurviveSaveLoad) {
  // Three well-separated Gaussian blobs in 4-D.
  cv::RNG rng(1);
  auto blob = [&](int n, float centre, cv::Mat& x, std::vector<int>& y, int label) {
    for (int i = 0; i < n; ++i) {
      cv::Mat row(1, 4, CV_32F);
      rng.fill(row, cv::RNG::NORMAL, centre, 0.3);
      x.push_back(row);
      y.push_back(label);
    }
  };
  cv::Mat tx(0, 4, CV_32F), vx(0, 4, CV_32F);
  std::vector<int> ty, vy;
  for (int c = 0; c < 3; ++c) {
    blob(30, 2.0f * c, tx, ty, c);
    blob(10, 2.0f * c, vx, vy, c);
  }
  SvmClassifier svm;
  svm.fit(tx, ty, vx, vy, 3);
  EXPECT_DOUBLE_EQ(svm.selection_accuracy, 1.0);
  const cv::Mat d = svm.decision(vx);
  ASSERT_EQ(d.cols, 3);
  for (int i = 0; i < d.rows; ++i) {
    cv::Point best;
    cv::minMaxLoc(d.row(i), nullptr, nullptr, nullptr, &best);
    EXPECT_EQ(best.x, vy[static_cast<size_t>(i)]) << "row " << i;
  }
  alloyml::testing::TempDir dir;
  svm.save(dir / "glcm_svm");
  SvmClassifier back;
  back.load(dir / "glcm_svm");
  EXPECT_LT(cv::norm(back.decision(vx) - d, cv::NORM_INF), 1e-5);
}

// A class without training images (a held-out specimen took them all) gets no machine: it is
// never predicted, and the model still saves and loads.
TEST(Svm, AClassWithoutTrainingImagesIsNeverPredictedAndSaves) {
  cv::RNG rng(2);
  cv::Mat tx(0, 2, CV_32F);
  std::vector<int> ty;
  for (int c : {0, 2})
    for (int i = 0; i < 20; ++i) {
      cv::Mat row(1, 2, CV_32F);
      rng.fill(row, cv::RNG::NORMAL, 3.0f * c, 0.3);
      tx.push_back(row);
      ty.push_back(c);
    }
  SvmClassifier svm;
  svm.fit(tx, ty, cv::Mat(0, 2, CV_32F), {}, 3);
  const cv::Mat d = svm.decision(tx);
  ASSERT_EQ(d.cols, 3);
  for (int i = 0; i < d.rows; ++i) EXPECT_EQ(d.at<float>(i, 1), kAbsentClassScore);
  alloyml::testing::TempDir dir;
  svm.save(dir / "m");
  SvmClassifier back;
  back.load(dir / "m");
  EXPECT_LT(cv::norm(back.decision(tx) - d, cv::NORM_INF), 1e-5);
}
