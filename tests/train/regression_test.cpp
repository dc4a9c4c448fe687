// Torch-free pieces of regression training: label-distribution smoothing and target transforms.
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

TEST(Targets, Log1pRoundTrip) {
  for (double v : {0.0, 0.1, 2.0, 35.0}) EXPECT_NEAR(train::invert_target(train::transform_target(v, "log1p"), "log1p"), v, 1e-12);
  EXPECT_EQ(train::transform_target(3.0, "none"), 3.0);
  EXPECT_THROW(train::transform_target(1.0, "log"), InputError);
}
