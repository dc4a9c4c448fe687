// Factor analysis: mean impact value, Garson's weights and permutation importance.
#include <gtest/gtest.h>

#include "alloyml/eval/importance.h"

using namespace alloyml;

TEST(Importance, MeanImpactValueOfALinearModel) {
  data::Samples s;
  s.add({1, 5, 2}, 0);
  s.add({3, 7, 4}, 0);
  const eval::RowPredictor f = [](const double* x) { return 3 * x[0] + 0 * x[1] - x[2]; };
  const auto miv = eval::mean_impact_values(f, s, 0.1);
  // f(1.1 x) - f(0.9 x) = 0.2 * coefficient * x, averaged over the rows.
  EXPECT_NEAR(miv[0], 0.2 * 3 * 2, 1e-12);
  EXPECT_NEAR(miv[1], 0, 1e-12);
  EXPECT_NEAR(miv[2], -0.2 * 3, 1e-12);
  const auto rel = eval::relative_magnitudes(miv);
  EXPECT_NEAR(rel[0], 1.2 / 1.8, 1e-12);
  EXPECT_NEAR(rel[2], 0.6 / 1.8, 1e-12);
}

TEST(Importance, GarsonByHand) {
  // Two inputs, two hidden units: unit 0 sees |3| and |1| with |v| = 2, unit 1 sees |1| and |1| with |v| = 1.
  classical::Mlp net(2, 2);
  net.set_parameters({3, -1, 1, 1, /*b1*/ 0, 0, /*w2*/ -2, 1, /*b2*/ 0});
  const auto g = eval::garson_importance({net});
  // Input 0: 0.75 * 2 + 0.5 * 1 = 2; input 1: 0.25 * 2 + 0.5 * 1 = 1.
  EXPECT_NEAR(g[0], 2.0 / 3, 1e-12);
  EXPECT_NEAR(g[1], 1.0 / 3, 1e-12);
}

TEST(Importance, PermutingAnUnusedInputCostsNothing) {
  data::Samples s;
  for (int i = 0; i < 50; ++i) s.add({static_cast<double>(i), static_cast<double>((i * 7) % 13)}, 2.0 * i);
  const eval::RowPredictor f = [](const double* x) { return 2 * x[0]; };
  const auto p = eval::permutation_importance(f, s, 5, 1);
  EXPECT_GT(p[0], 10.0);
  EXPECT_EQ(p[1], 0.0);
}
