// The adaptive G-mean loss (Huang et al. 2023, Eqs. 12-17) against hand-computed values.
#include <gtest/gtest.h>

#include <cmath>

#include <torch/torch.h>

#include "alloyml/losses/classification.h"

using namespace alloyml;

TEST(AdaptiveGmeanLoss, WeightsByHand) {
  // Class 0: 8 images, 6 right, 2 taken for class 1. Class 1: 4 images, 3 right, 1 taken for 0.
  const std::vector<std::vector<std::int64_t>> confusion{{6, 2}, {1, 3}};
  const auto w = losses::adaptive_gmean_weights(confusion, {8, 4});
  ASSERT_EQ(w.size(), 2u);
  // Class 0: A = 6/8, S = TN/(TN+FP) = 3/4, G = 0.75, K = 1.
  EXPECT_NEAR(w[0], 1 + std::tanh(1.0 * (1 - 0.75)), 1e-12);
  // Class 1: A = 3/4, S = 6/8, G = 0.75, K = 2: the rarer class weighs more for the same G-mean.
  EXPECT_NEAR(w[1], 1 + std::tanh(2.0 * (1 - 0.75)), 1e-12);
  EXPECT_GT(w[1], w[0]);
}

TEST(AdaptiveGmeanLoss, PerfectClassesKeepWeightOneAndNoPredictionsUseTheImbalance) {
  const auto perfect = losses::adaptive_gmean_weights({{5, 0, 0}, {0, 2, 0}, {0, 0, 1}}, {5, 2, 1});
  for (double v : perfect) EXPECT_NEAR(v, 1.0, 1e-12);
  const auto first = losses::adaptive_gmean_weights({}, {5, 2, 1});
  EXPECT_NEAR(first[0], 1 + std::tanh(1.0), 1e-12);
  EXPECT_NEAR(first[2], 1 + std::tanh(5.0), 1e-12);
  for (double v : first) EXPECT_LT(v, 2.0);  // tanh bounds the weights (Eq. 15)
}

TEST(AdaptiveGmeanLoss, LossByHandAndItsGradient) {
  // Two samples, two classes. Logits (0, 0): p = (0.5, 0.5). Logits (ln 3, 0): p = (0.75, 0.25).
  const auto logits = torch::tensor({0.0, 0.0, std::log(3.0), 0.0}, torch::kDouble).view({2, 2}).requires_grad_();
  const auto target = torch::tensor({int64_t{1}, int64_t{0}});
  const auto weights = torch::tensor({1.5, 2.0}, torch::kDouble);
  const double beta = 0.5;
  const auto loss = losses::adaptive_gmean_loss(logits, target, weights, beta);
  // Sample 0 (class 1, w 2): CE = ln 2, distance = 0.25 + 0.25. Sample 1 (class 0, w 1.5):
  // CE = -ln 0.75, distance = 0.0625 + 0.0625.
  // A weighted mean: divided by the targets' weights (2 + 1.5), as weighted cross-entropy is.
  const double expected = (2.0 * (std::log(2.0) + beta * 0.5) + 1.5 * (-std::log(0.75) + beta * 0.125)) / 3.5;
  EXPECT_NEAR(loss.item<double>(), expected, 1e-12);
  // Scaling every weight does not change it; with beta 0 and unit weights it is the cross-entropy.
  EXPECT_NEAR(losses::adaptive_gmean_loss(logits, target, weights * 3, beta).item<double>(), expected, 1e-12);
  const auto ce = losses::adaptive_gmean_loss(logits, target, torch::ones({2}, torch::kDouble), 0.0);
  EXPECT_NEAR(ce.item<double>(), torch::nn::functional::cross_entropy(logits, target).item<double>(), 1e-12);
  loss.backward();
  // Raising the true class's logit lowers the loss.
  EXPECT_LT(logits.grad()[0][1].item<double>(), 0.0);
  EXPECT_LT(logits.grad()[1][0].item<double>(), 0.0);
}
