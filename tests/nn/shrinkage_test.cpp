// Soft thresholding, SADDT and the shrinkage threshold: values and gradients by hand.
#include <gtest/gtest.h>
#include <cmath>

#include <torch/torch.h>

#include "alloyml/nn/shrinkage.h"

using namespace alloyml;

TEST(Shrinkage, SoftThresholdValuesAndGradientByHand) {
  const auto x = torch::tensor({-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.5}, torch::requires_grad());
  const auto tau = torch::tensor(1.0, torch::requires_grad());
  const auto y = nn::soft_threshold(x, tau);
  EXPECT_TRUE(torch::allclose(y, torch::tensor({-2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.5})));
  y.sum().backward();
  // dy/dx: 1 outside [-tau, tau], 0 inside; dy/dtau: -sign(x) outside, summed: -(-1) - (+1) = 0.
  EXPECT_TRUE(torch::allclose(x.grad(), torch::tensor({1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0})));
  EXPECT_DOUBLE_EQ(tau.grad().item<double>(), 0.0);
  const auto tau2 = torch::tensor(1.0, torch::requires_grad());
  nn::soft_threshold(torch::tensor({2.0, 3.0, -0.5}), tau2).sum().backward();
  EXPECT_DOUBLE_EQ(tau2.grad().item<double>(), -2.0);  // two outputs above tau, each -1
}

TEST(Shrinkage, DirectionalThresholdIsEq10WithItsSlope) {
  const auto x = torch::tensor({-2.0, -0.2, 0.3, 4.0}, torch::requires_grad());
  const auto tau = torch::tensor(0.5);
  const auto delta = torch::tensor(0.8, torch::requires_grad());
  const auto y = nn::directional_threshold(x, tau, delta);
  // delta (x + tau) below -tau, 0 within, delta (x - tau) above.
  EXPECT_TRUE(torch::allclose(y, torch::tensor({0.8 * -1.5, 0.0, 0.0, 0.8 * 3.5})));
  y.sum().backward();
  EXPECT_TRUE(torch::allclose(x.grad(), torch::tensor({0.8, 0.0, 0.0, 0.8})));
  EXPECT_NEAR(delta.grad().item<double>(), -1.5 + 3.5, 1e-12);  // the soft threshold itself
}

TEST(Shrinkage, ThresholdIsNonNegativeAndBelowTheChannelMean) {
  torch::manual_seed(0);
  nn::Shrinkage unit(6);
  const auto x = torch::randn({4, 6, 5, 5}) * 3;
  for (bool training : {true, false}) {
    unit->train(training);
    const auto tau = unit->threshold(x);
    ASSERT_EQ(tau.sizes(), (std::vector<int64_t>{4, 6, 1, 1}));
    EXPECT_GE(tau.min().item<double>(), 0.0);
    EXPECT_TRUE((tau <= x.abs().mean({2, 3}, true) + 1e-6).all().item<bool>());
  }
  const auto y = unit->forward(x);
  EXPECT_EQ(y.sizes(), x.sizes());
  EXPECT_TRUE((y.abs() <= x.abs() + 1e-6).all().item<bool>());  // shrinks, never grows
  EXPECT_TRUE((y * x >= 0).all().item<bool>());                  // keeps the sign
}

TEST(Shrinkage, SarsnThresholdByHandAndNonNegative) {
  nn::DirectionalShrinkage unit(2);
  // Channel 0: values {2, -2, 0, 0}: mean sigmoid = (s(2) + s(-2) + 2 s(0)) / 4 = 0.5, mean |x| = 1.
  // Channel 1: all -3: mean sigmoid = s(-3), mean |x| = 3.
  const auto x = torch::tensor({2.0, -2.0, 0.0, 0.0, -3.0, -3.0, -3.0, -3.0}, torch::kFloat32).view({1, 2, 2, 2});
  const auto tau = unit->threshold(x).flatten();
  const double s3 = 1.0 / (1.0 + std::exp(3.0));
  EXPECT_NEAR(tau[0].item<double>(), 0.5, 1e-6);
  EXPECT_NEAR(tau[1].item<double>(), 3.0 * s3, 1e-6);
  // A whole-negative channel keeps a positive threshold (the printed Eq. 11 would not).
  EXPECT_GT(tau[1].item<double>(), 0.0);
  torch::NoGradGuard g;
  unit->delta.fill_(2.0);
  const auto y = unit->forward(x).flatten();
  EXPECT_NEAR(y[0].item<double>(), 2.0 * 1.5, 1e-6);
  EXPECT_NEAR(y[1].item<double>(), 2.0 * -1.5, 1e-6);
  EXPECT_NEAR(y[4].item<double>(), 2.0 * (-3.0 + 3.0 * s3), 1e-5);
}

TEST(Shrinkage, SarsnUnitPassesGradientsToDeltaAndInput) {
  torch::manual_seed(1);
  nn::DirectionalShrinkage unit(3);
  const auto x = torch::randn({2, 3, 4, 4}, torch::requires_grad());
  unit->forward(x).pow(2).sum().backward();
  ASSERT_TRUE(unit->delta.grad().defined());
  EXPECT_GT(unit->delta.grad().abs().sum().item<double>(), 0.0);
  EXPECT_TRUE(torch::isfinite(x.grad()).all().item<bool>());
}
