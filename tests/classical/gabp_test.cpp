// The pieces of GA-BP: the network and its Jacobian, the Levenberg-Marquardt step and loop,
// the genetic algorithm, linear regression, and a network learning what a line cannot.
#include <cmath>
#include <random>

#include <gtest/gtest.h>

#include "alloyml/classical/mlp.h"
#include "alloyml/classical/optimize.h"
#include "alloyml/core/rng.h"

using namespace alloyml::classical;

namespace {

// y = f(x) on `rows` random points of [-1, 1]^3, with a little noise.
Samples smooth_function(size_t rows, std::uint64_t seed, double noise = 0.01) {
  std::mt19937_64 gen(seed);
  std::normal_distribution<double> normal(0, 1);
  Samples s;
  for (size_t r = 0; r < rows; ++r) {
    const double a = 2 * alloyml::uniform01(gen) - 1, b = 2 * alloyml::uniform01(gen) - 1, c = 2 * alloyml::uniform01(gen) - 1;
    s.add({a, b, c}, std::sin(2.5 * a) + b * b + a * c + noise * normal(gen));
  }
  return s;
}

double rmse(const std::vector<double>& p, const std::vector<double>& y) {
  double sum = 0;
  for (size_t i = 0; i < y.size(); ++i) sum += (p[i] - y[i]) * (p[i] - y[i]);
  return std::sqrt(sum / static_cast<double>(y.size()));
}

}  // namespace

TEST(Mlp, PaperNetworkHas57Parameters) {
  EXPECT_EQ(Mlp::parameter_count(5, 8), 57u);
  EXPECT_EQ(Mlp(5, 8).parameter_count(), 57u);
  Mlp net(5, 8);
  EXPECT_THROW(net.set_parameters(std::vector<double>(56)), std::invalid_argument);
}

TEST(Mlp, ForwardByHand) {
  // 1-1-1: y = b2 + v * sigmoid(w x + b).
  Mlp net(1, 1);
  net.set_parameters({2.0, -1.0, 3.0, 0.5});
  const double x = 0.75;
  EXPECT_NEAR(net.predict(&x), 0.5 + 3.0 / (1.0 + std::exp(-(2.0 * 0.75 - 1.0))), 1e-12);
}

TEST(Mlp, JacobianMatchesFiniteDifferences) {
  Mlp net(3, 4);
  net.init_random(7);
  const Samples s = smooth_function(6, 1);
  std::vector<double> e, jac;
  net.residuals_and_jacobian(s, e, jac);
  const size_t p = net.parameter_count();
  for (size_t k = 0; k < p; ++k) {
    Mlp up = net, down = net;
    up.parameters()[k] += 1e-6;
    down.parameters()[k] -= 1e-6;
    for (size_t r = 0; r < s.rows(); ++r) {
      const double numeric = (up.predict(s.row(r)) - down.predict(s.row(r))) / 2e-6;
      EXPECT_NEAR(jac[r * p + k], numeric, 1e-6) << "row " << r << " parameter " << k;
    }
  }
  for (size_t r = 0; r < s.rows(); ++r) EXPECT_NEAR(e[r], net.predict(s.row(r)) - s.y[r], 1e-12);
}

TEST(LevenbergMarquardt, StepMatchesHandComputation) {
  // J = [[1,0],[0,2],[1,1]], e = [1,2,3], mu = 0.5:
  // J'J + mu I = [[2.5,1],[1,5.5]], J'e = [4,7], so dx = -[15/12.75, 13.5/12.75].
  const std::vector<double> jac{1, 0, 0, 2, 1, 1}, e{1, 2, 3};
  std::vector<double> dx;
  ASSERT_TRUE(lm_step(jac, e, 2, 0.5, dx));
  EXPECT_NEAR(dx[0], -15.0 / 12.75, 1e-12);
  EXPECT_NEAR(dx[1], -13.5 / 12.75, 1e-12);
  // Without damping a rank-deficient J'J has no Cholesky factor.
  EXPECT_FALSE(lm_step({1, 1, 2, 2}, {1, 1}, 2, 0.0, dx));
}

TEST(LevenbergMarquardt, TrainingErrorNeverRisesAndStopsAtTheGoal) {
  const Samples train = smooth_function(120, 2);
  Mlp net(3, 6);
  net.init_random(3);
  LmOptions o;
  o.goal = 0;
  o.epochs = 200;
  const auto r = train_levenberg_marquardt(net, train, nullptr, o);
  ASSERT_GT(r.history.size(), 5u);
  for (size_t i = 1; i < r.history.size(); ++i) EXPECT_LE(r.history[i].perf, r.history[i - 1].perf);
  EXPECT_LT(r.history.back().perf, 0.01 * r.history.front().perf);
  EXPECT_NEAR(net.mse(train), r.history.back().perf, 1e-12);

  Mlp again(3, 6);
  again.init_random(3);
  o.goal = 0.05;
  const auto g = train_levenberg_marquardt(again, train, nullptr, o);
  EXPECT_EQ(g.stop_reason, "performance goal met");
  EXPECT_LE(g.history.back().perf, 0.05);
  EXPECT_GT(g.history[g.history.size() - 2].perf, 0.05);
}

TEST(LevenbergMarquardt, ValidationStopKeepsTheBestValidationWeights) {
  // Few noisy rows and many units: validation error turns up while training error falls.
  const Samples train = smooth_function(40, 4, 0.3), val = smooth_function(40, 5, 0.3);
  Mlp net(3, 12);
  net.init_random(6);
  LmOptions o;
  o.goal = 0;
  o.max_fail = 6;
  const auto r = train_levenberg_marquardt(net, train, &val, o);
  EXPECT_EQ(r.stop_reason, "validation stop");
  double best = INFINITY;
  for (const auto& h : r.history) best = std::min(best, h.val_perf);
  EXPECT_NEAR(net.mse(val), best, 1e-12);
  EXPECT_EQ(r.history[static_cast<size_t>(r.best_epoch)].val_perf, best);
}

TEST(GeneticAlgorithm, ElitismNeverLosesTheBest) {
  // A shifted sphere in 10 dimensions.
  auto sphere = [](const std::vector<double>& x) {
    double s = 0;
    for (size_t i = 0; i < x.size(); ++i) s += (x[i] - 0.3) * (x[i] - 0.3);
    return s;
  };
  GaOptions o;
  o.generations = 150;
  const auto r = minimize_ga(sphere, 10, o, 11);
  ASSERT_EQ(r.history.size(), 151u);
  for (size_t g = 1; g < r.history.size(); ++g) EXPECT_LE(r.history[g].best, r.history[g - 1].best) << "generation " << g;
  EXPECT_LT(r.best_fitness, 0.5 * r.history.front().best);
  EXPECT_DOUBLE_EQ(sphere(r.best), r.best_fitness);
  for (double g : r.best) EXPECT_LE(std::abs(g), o.bound);
  // Same seed, same search.
  EXPECT_EQ(minimize_ga(sphere, 10, o, 11).best, r.best);
}

TEST(LinearRegression, RecoversAnExactPlane) {
  Samples s;
  std::mt19937_64 gen(1);
  for (int r = 0; r < 30; ++r) {
    const double a = 100 * alloyml::uniform01(gen), b = alloyml::uniform01(gen);
    s.add({a, b}, 1.5 - 0.02 * a + 4 * b);
  }
  const auto m = fit_linear(s);
  EXPECT_NEAR(m.intercept, 1.5, 1e-9);
  EXPECT_NEAR(m.coef[0], -0.02, 1e-11);
  EXPECT_NEAR(m.coef[1], 4.0, 1e-9);
  EXPECT_EQ(m.equation({"stroke", "time"}, "y"), "y = 1.5 - 0.02 * stroke + 4 * time");
  Samples constant;
  for (int r = 0; r < 5; ++r) constant.add({1.0, static_cast<double>(r)}, r);
  EXPECT_THROW(fit_linear(constant), std::invalid_argument);
}

TEST(GaBp, LearnsASmoothFunctionFarBetterThanALine) {
  const Samples train = smooth_function(200, 8), val = smooth_function(40, 9), test = smooth_function(100, 10);
  Mlp net(3, 8);
  auto fitness = [&](const std::vector<double>& p) {
    Mlp probe = net;
    probe.parameters() = p;
    return std::sqrt(probe.mse(train));
  };
  GaOptions ga;
  ga.generations = 100;
  net.set_parameters(minimize_ga(fitness, net.parameter_count(), ga, 12).best);
  LmOptions lm;
  lm.goal = 0;
  train_levenberg_marquardt(net, train, &val, lm);
  const double nn = rmse(net.predict(test), test.y);
  const double line = rmse(fit_linear(train).predict(test), test.y);
  EXPECT_LT(nn, 0.25 * line) << "network " << nn << ", linear " << line;
  EXPECT_LT(nn, 0.05);
}
