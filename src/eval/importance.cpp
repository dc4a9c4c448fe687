#include "alloyml/eval/importance.h"

#include <cmath>
#include <numeric>

#include "alloyml/core/rng.h"

namespace alloyml::eval {
namespace {

double rmse(const RowPredictor& predict, const data::Samples& s) {
  double sum = 0;
  for (size_t r = 0; r < s.rows(); ++r) {
    const double e = predict(s.row(r)) - s.y[r];
    sum += e * e;
  }
  return std::sqrt(sum / static_cast<double>(std::max<size_t>(1, s.rows())));
}

}  // namespace

std::vector<double> mean_impact_values(const RowPredictor& predict, const data::Samples& s, double delta) {
  std::vector<double> miv(s.cols, 0.0);
  std::vector<double> x(s.cols);
  for (size_t i = 0; i < s.cols; ++i) {
    double sum = 0;
    for (size_t r = 0; r < s.rows(); ++r) {
      std::copy(s.row(r), s.row(r) + s.cols, x.begin());
      x[i] = s.row(r)[i] * (1 + delta);
      const double up = predict(x.data());
      x[i] = s.row(r)[i] * (1 - delta);
      sum += up - predict(x.data());
    }
    miv[i] = s.rows() ? sum / static_cast<double>(s.rows()) : 0.0;
  }
  return miv;
}

std::vector<double> garson_importance(const std::vector<classical::Mlp>& nets) {
  if (nets.empty()) return {};
  const int m = nets[0].inputs(), hidden = nets[0].hidden();
  std::vector<double> total(static_cast<size_t>(m), 0.0);
  for (const auto& net : nets) {
    std::vector<double> share(static_cast<size_t>(m), 0.0);
    for (int h = 0; h < hidden; ++h) {
      double in = 0;
      for (int i = 0; i < m; ++i) in += std::abs(net.w1(h, i));
      if (in <= 0) continue;
      for (int i = 0; i < m; ++i) share[static_cast<size_t>(i)] += std::abs(net.w1(h, i)) / in * std::abs(net.w2(h));
    }
    const auto rel = relative_magnitudes(share);
    for (size_t i = 0; i < rel.size(); ++i) total[i] += rel[i] / static_cast<double>(nets.size());
  }
  return total;
}

std::vector<double> permutation_importance(const RowPredictor& predict, const data::Samples& s, int repeats,
                                           std::uint64_t seed) {
  const double base = rmse(predict, s);
  std::vector<double> out(s.cols, 0.0);
  for (size_t i = 0; i < s.cols; ++i) {
    for (int k = 0; k < repeats; ++k) {
      std::vector<size_t> order(s.rows());
      std::iota(order.begin(), order.end(), 0);
      seeded_shuffle(order, derive_seed(seed, i, static_cast<std::uint64_t>(k)));
      data::Samples shuffled = s;
      for (size_t r = 0; r < s.rows(); ++r) shuffled.x[r * s.cols + i] = s.row(order[r])[i];
      out[i] += (rmse(predict, shuffled) - base) / repeats;
    }
  }
  return out;
}

std::vector<double> relative_magnitudes(const std::vector<double>& v) {
  double sum = 0;
  for (double x : v) sum += std::abs(x);
  std::vector<double> out(v.size(), 0.0);
  if (sum > 0)
    for (size_t i = 0; i < v.size(); ++i) out[i] = std::abs(v[i]) / sum;
  return out;
}

}  // namespace alloyml::eval
