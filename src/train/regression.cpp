#include "alloyml/train/regression.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "alloyml/core/error.h"
#include "alloyml/core/rng.h"

namespace alloyml::train {

double transform_target(double y, const std::string& transform) {
  if (transform == "log1p") return std::log1p(y);
  if (transform == "none") return y;
  throw InputError("loss.target_transform '" + transform + "' is not one of none, log1p");
}

double invert_target(double t, const std::string& transform) {
  return transform == "log1p" ? std::expm1(t) : t;
}

double to_user_units(double output, const std::string& transform, bool non_negative) {
  const double y = invert_target(output, transform);
  return non_negative ? std::max(0.0, y) : y;
}

namespace {

struct Binning {
  double lo = 0, width = 1;
  int bins = 1;
  int of(double y) const {
    const int b = width > 0 ? static_cast<int>((y - lo) / width) : 0;
    return std::clamp(b, 0, bins - 1);
  }
};

Binning binning(const std::vector<double>& y, int bins) {
  if (bins < 1) throw InputError("loss.lds.bins must be at least 1");
  Binning b;
  b.bins = bins;
  if (y.empty()) return b;
  const auto [mn, mx] = std::minmax_element(y.begin(), y.end());
  b.lo = *mn;
  b.width = (*mx - *mn) / bins;
  return b;
}

}  // namespace

std::vector<double> lds_density(const std::vector<double>& y, const LdsOptions& o) {
  if (o.kernel_size < 1 || o.kernel_size % 2 == 0) throw InputError("loss.lds.kernel_size must be odd and positive");
  if (!(o.sigma > 0)) throw InputError("loss.lds.sigma must be positive");
  const Binning b = binning(y, o.bins);
  std::vector<double> hist(static_cast<size_t>(b.bins), 0.0);
  for (double v : y) hist[static_cast<size_t>(b.of(v))] += 1;
  // Gaussian window normalised to peak 1 (Yang et al.'s reference code does the same).
  const int half = o.kernel_size / 2;
  std::vector<double> kernel;
  for (int d = -half; d <= half; ++d) kernel.push_back(std::exp(-0.5 * d * d / (o.sigma * o.sigma)));
  const double peak = *std::max_element(kernel.begin(), kernel.end());
  for (auto& k : kernel) k /= peak;
  std::vector<double> smooth(hist.size(), 0.0);
  for (int i = 0; i < b.bins; ++i)
    for (int d = -half; d <= half; ++d) {
      const int j = i + d;
      if (j >= 0 && j < b.bins) smooth[static_cast<size_t>(i)] += kernel[static_cast<size_t>(d + half)] * hist[static_cast<size_t>(j)];
    }
  return smooth;
}

std::vector<double> lds_weights(const std::vector<double>& y, const LdsOptions& o) {
  std::vector<double> w(y.size(), 1.0);
  if (!o.enabled || y.empty()) return w;
  if (o.reweight != "inverse" && o.reweight != "sqrt_inverse")
    throw InputError("loss.lds.reweight '" + o.reweight + "' is not one of inverse, sqrt_inverse");
  const auto density = lds_density(y, o);
  const Binning b = binning(y, o.bins);
  for (size_t i = 0; i < y.size(); ++i) {
    const double p = density[static_cast<size_t>(b.of(y[i]))];  // >= 1: the sample's own bin counts
    w[i] = o.reweight == "inverse" ? 1.0 / p : 1.0 / std::sqrt(p);
  }
  const double mean = std::accumulate(w.begin(), w.end(), 0.0) / static_cast<double>(w.size());
  for (auto& v : w) v /= mean;
  return w;
}

}  // namespace alloyml::train
