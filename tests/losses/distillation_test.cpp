// RKD (Park et al. 2019) and soft-target losses against values computed independently.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <vector>

#include <torch/torch.h>

#include "alloyml/losses/distillation.h"

using namespace alloyml;

namespace {

using Points = std::vector<std::array<double, 2>>;

torch::Tensor tensor_of(const Points& p) {
  std::vector<double> flat;
  for (const auto& q : p) flat.insert(flat.end(), q.begin(), q.end());
  return torch::tensor(flat, torch::kDouble).view({static_cast<int64_t>(p.size()), 2});
}

double huber(double x) { return std::abs(x) < 1 ? 0.5 * x * x : std::abs(x) - 0.5; }

double dist(const std::array<double, 2>& a, const std::array<double, 2>& b) { return std::hypot(a[0] - b[0], a[1] - b[1]); }

// The RKD distance loss by loops: distances over mean positive distance, Huber over N x N.
double distance_loss_by_loops(const Points& s, const Points& t) {
  const size_t n = s.size();
  double ms = 0, mt = 0, pairs = 0;
  for (size_t i = 0; i < n; ++i)
    for (size_t j = 0; j < n; ++j)
      if (i != j) ms += dist(s[i], s[j]), mt += dist(t[i], t[j]), ++pairs;
  ms /= pairs, mt /= pairs;
  double sum = 0;
  for (size_t i = 0; i < n; ++i)
    for (size_t j = 0; j < n; ++j) sum += huber(dist(s[i], s[j]) / ms - dist(t[i], t[j]) / mt);
  return sum / static_cast<double>(n * n);
}

// The cosine at j of the triangle (i, j, k); 0 when either side has length 0.
double cosine(const Points& e, size_t i, size_t j, size_t k) {
  const double ax = e[i][0] - e[j][0], ay = e[i][1] - e[j][1], bx = e[k][0] - e[j][0], by = e[k][1] - e[j][1];
  const double na = std::hypot(ax, ay), nb = std::hypot(bx, by);
  return na == 0 || nb == 0 ? 0.0 : (ax * bx + ay * by) / (na * nb);
}

double angle_loss_by_loops(const Points& s, const Points& t) {
  const size_t n = s.size();
  double sum = 0;
  for (size_t i = 0; i < n; ++i)
    for (size_t j = 0; j < n; ++j)
      for (size_t k = 0; k < n; ++k) sum += huber(cosine(s, i, j, k) - cosine(t, i, j, k));
  return sum / static_cast<double>(n * n * n);
}

const Points kSquare{{0, 0}, {1, 0}, {0, 1}, {1, 1}};
const Points kRectangle{{0, 0}, {2, 0}, {0, 1}, {2, 1}};

}  // namespace

TEST(RkdLoss, DistanceLossOnAFourSampleBatch) {
  const double expected = distance_loss_by_loops(kSquare, kRectangle);
  // By hand: unit square against a 2 x 1 rectangle, each over its mean distance
  // ((4 + 2 sqrt 2) / 6 and (6 + 2 sqrt 5) / 6): Huber summed over 12 ordered pairs / 16.
  EXPECT_NEAR(expected, 0.020795, 1e-5);
  EXPECT_NEAR(losses::rkd_distance_loss(tensor_of(kSquare), tensor_of(kRectangle)).item<double>(), expected, 1e-12);
}

TEST(RkdLoss, AngleLossOnAFourSampleBatch) {
  const double expected = angle_loss_by_loops(kSquare, kRectangle);
  EXPECT_GT(expected, 0.0);
  EXPECT_NEAR(losses::rkd_angle_loss(tensor_of(kSquare), tensor_of(kRectangle)).item<double>(), expected, 1e-12);
}

TEST(RkdLoss, ZeroWhenTheTeacherIsTheStudentUpToScaleRotationAndShift) {
  torch::manual_seed(0);
  const auto s = torch::randn({6, 5}, torch::kDouble);
  const auto q = std::get<0>(torch::linalg_qr(torch::randn({5, 5}, torch::kDouble)));  // orthogonal
  const auto t = 3.5 * s.matmul(q) + 2.0;
  EXPECT_NEAR(losses::rkd_distance_loss(s, t).item<double>(), 0.0, 1e-12);
  EXPECT_NEAR(losses::rkd_angle_loss(s, t).item<double>(), 0.0, 1e-12);
}

TEST(RkdLoss, GradientsReachTheStudentOnlyAndAreFinite) {
  const auto s = tensor_of(kSquare).requires_grad_();
  const auto t = tensor_of(kRectangle).requires_grad_();
  (losses::rkd_distance_loss(s, t) + losses::rkd_angle_loss(s, t)).backward();
  ASSERT_TRUE(s.grad().defined());
  EXPECT_TRUE(torch::isfinite(s.grad()).all().item<bool>());
  EXPECT_GT(s.grad().abs().sum().item<double>(), 0.0);
  EXPECT_FALSE(t.grad().defined());
}

TEST(SoftTargetLoss, KlDivergenceByHandTimesTSquared) {
  const auto student = torch::tensor({0.0, 0.0}, torch::kDouble).view({1, 2});
  const auto teacher = torch::tensor({std::log(3.0), 0.0}, torch::kDouble).view({1, 2});
  // T = 1: q = (0.75, 0.25), p = (0.5, 0.5): KL = 0.75 ln 1.5 + 0.25 ln 0.5.
  const double kl = 0.75 * std::log(1.5) + 0.25 * std::log(0.5);
  EXPECT_NEAR(losses::soft_target_loss(student, teacher, 1.0).item<double>(), kl, 1e-12);
  // T = 2: q = softmax(ln 3 / 2, 0) = (sqrt 3, 1) / (sqrt 3 + 1); times T^2 = 4.
  const double q0 = std::sqrt(3.0) / (std::sqrt(3.0) + 1), q1 = 1 - q0;
  EXPECT_NEAR(losses::soft_target_loss(student, teacher, 2.0).item<double>(),
              4 * (q0 * std::log(q0 / 0.5) + q1 * std::log(q1 / 0.5)), 1e-12);
  EXPECT_NEAR(losses::soft_target_loss(teacher, teacher, 3.0).item<double>(), 0.0, 1e-12);
}
