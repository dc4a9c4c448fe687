// Torch-free pieces of regression training: label-distribution smoothing, target-stratified folds
// and target transforms.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <numeric>
#include <set>

#include <gtest/gtest.h>

#include "alloyml/core/error.h"
#include "alloyml/train/regression.h"
#include "test_util.h"

using namespace alloyml;

TEST(Lds, WeightsOnAToyHistogram) {
  // 8 targets in the first bin, 2 in the last (4 bins over [0, 4]).
  std::vector<double> y{0, 0, 0, 0, 0, 0, 0, 0, 4, 4};
  train::LdsOptions o;
  o.enabled = true;
  o.bins = 4;
  o.kernel_size = 1;  // no smoothing: the plain histogram
  o.reweight = "inverse";
  auto w = train::lds_weights(y, o);
  EXPECT_NEAR(w[9] / w[0], 4.0, 1e-12);
  EXPECT_NEAR(std::accumulate(w.begin(), w.end(), 0.0) / 10, 1.0, 1e-12);
  o.reweight = "sqrt_inverse";
  w = train::lds_weights(y, o);
  EXPECT_NEAR(w[9] / w[0], 2.0, 1e-12);
  // Kernel 3, sigma 1: window (e^-0.5, 1, e^-0.5); the empty bins between borrow density.
  o.kernel_size = 3;
  o.sigma = 1.0;
  const double k = std::exp(-0.5);
  const auto d = train::lds_density(y, o);
  ASSERT_EQ(d.size(), 4u);
  EXPECT_NEAR(d[0], 8.0, 1e-12);
  EXPECT_NEAR(d[1], 8 * k, 1e-12);
  EXPECT_NEAR(d[2], 2 * k, 1e-12);
  EXPECT_NEAR(d[3], 2.0, 1e-12);
  o.reweight = "inverse";
  w = train::lds_weights(y, o);
  EXPECT_NEAR(w[9] / w[0], 4.0, 1e-12);
  // Off: all ones.
  o.enabled = false;
  for (double v : train::lds_weights(y, o)) EXPECT_EQ(v, 1.0);
  o.enabled = true;
  o.kernel_size = 4;
  EXPECT_THROW(train::lds_weights(y, o), InputError);
}

TEST(Folds, DisjointCoveringBalancedAndStratified) {
  std::vector<double> y;
  for (int i = 0; i < 103; ++i) y.push_back(i < 40 ? 0.0 : std::pow(1.05, i));
  const auto folds = train::regression_folds(y, 10, 7);
  ASSERT_EQ(folds.size(), y.size());
  std::vector<int> size(10, 0);
  for (int f : folds) {
    ASSERT_GE(f, 0);
    ASSERT_LT(f, 10);
    ++size[static_cast<size_t>(f)];
  }
  EXPECT_LE(*std::max_element(size.begin(), size.end()) - *std::min_element(size.begin(), size.end()), 1);
  // Each run of ten consecutive targets (in sorted order) is dealt to ten different folds, so
  // the tail reaches every fold; the zeros spread evenly.
  for (size_t start : {80, 90}) {
    std::set<int> run;
    for (size_t i = start; i < start + 10; ++i) run.insert(folds[i]);
    EXPECT_EQ(run.size(), 10u) << start;
  }
  std::vector<int> zeros(10, 0);
  for (size_t i = 0; i < 40; ++i) ++zeros[static_cast<size_t>(folds[i])];
  for (int z : zeros) EXPECT_EQ(z, 4);
  EXPECT_EQ(train::regression_folds(y, 10, 7), folds);
  EXPECT_NE(train::regression_folds(y, 10, 8), folds);
  EXPECT_THROW(train::regression_folds(y, 1, 0), InputError);
  EXPECT_THROW(train::regression_folds({1.0, 2.0}, 3, 0), InputError);
}

TEST(Targets, Log1pRoundTrip) {
  for (double v : {0.0, 0.1, 2.0, 35.0}) EXPECT_NEAR(train::invert_target(train::transform_target(v, "log1p"), "log1p"), v, 1e-12);
  EXPECT_EQ(train::transform_target(3.0, "none"), 3.0);
  EXPECT_THROW(train::transform_target(1.0, "log"), InputError);
}
