#include "alloyml/classical/mlp.h"

#include <cmath>
#include <cstdio>
#include <random>
#include <stdexcept>

#include "alloyml/core/rng.h"

namespace alloyml::classical {
namespace {

double sigmoid(double a) { return 1.0 / (1.0 + std::exp(-a)); }

}  // namespace

Mlp::Mlp(int inputs, int hidden) : inputs_(inputs), hidden_(hidden), p_(parameter_count(inputs, hidden), 0.0) {
  if (inputs < 1 || hidden < 1) throw std::invalid_argument("Mlp: inputs and hidden units must be positive");
}

void Mlp::set_parameters(std::vector<double> p) {
  if (p.size() != parameter_count())
    throw std::invalid_argument("Mlp: " + std::to_string(p.size()) + " parameters given, the network has " +
                                std::to_string(parameter_count()));
  p_ = std::move(p);
}

void Mlp::init_random(std::uint64_t seed) {
  std::mt19937_64 gen(seed);
  auto uniform = [&](double lo, double hi) { return lo + (hi - lo) * uniform01(gen); };
  // Nguyen & Widrow (1990), for inputs in [-1, 1]: hidden weight vectors of norm 0.7 h^(1/m),
  // biases spread over +-that norm.
  const double beta = 0.7 * std::pow(static_cast<double>(hidden_), 1.0 / inputs_);
  for (int h = 0; h < hidden_; ++h) {
    double norm = 0;
    for (int i = 0; i < inputs_; ++i) {
      double& w = p_[static_cast<size_t>(h * inputs_ + i)];
      w = uniform(-1, 1);
      norm += w * w;
    }
    norm = std::sqrt(norm);
    for (int i = 0; i < inputs_; ++i) p_[static_cast<size_t>(h * inputs_ + i)] *= beta / (norm > 0 ? norm : 1.0);
    p_[static_cast<size_t>(hidden_ * inputs_ + h)] = uniform(-beta, beta);
  }
  for (int h = 0; h < hidden_; ++h) p_[static_cast<size_t>(hidden_ * (inputs_ + 1) + h)] = uniform(-1, 1);
  p_.back() = uniform(-1, 1);
}

double Mlp::predict(const double* x) const {
  const double* w = p_.data();
  const double* b = w + hidden_ * inputs_;
  const double* v = b + hidden_;
  double out = p_.back();
  for (int h = 0; h < hidden_; ++h) {
    double a = b[h];
    for (int i = 0; i < inputs_; ++i) a += w[h * inputs_ + i] * x[i];
    out += v[h] * sigmoid(a);
  }
  return out;
}

std::vector<double> Mlp::predict(const Samples& s) const {
  std::vector<double> out(s.rows());
  for (size_t r = 0; r < s.rows(); ++r) out[r] = predict(s.row(r));
  return out;
}

double Mlp::mse(const Samples& s) const {
  if (s.rows() == 0) return std::nan("");
  double sum = 0;
  for (size_t r = 0; r < s.rows(); ++r) {
    const double e = predict(s.row(r)) - s.y[r];
    sum += e * e;
  }
  return sum / static_cast<double>(s.rows());
}

void Mlp::residuals_and_jacobian(const Samples& s, std::vector<double>& e, std::vector<double>& jacobian) const {
  const size_t n = s.rows(), np = parameter_count();
  e.assign(n, 0.0);
  jacobian.assign(n * np, 0.0);
  const double* w = p_.data();
  const double* b = w + hidden_ * inputs_;
  const double* v = b + hidden_;
  const size_t off_b1 = static_cast<size_t>(hidden_ * inputs_), off_w2 = off_b1 + static_cast<size_t>(hidden_);
  for (size_t r = 0; r < n; ++r) {
    const double* x = s.row(r);
    double* j = jacobian.data() + r * np;
    double out = p_.back();
    for (int h = 0; h < hidden_; ++h) {
      double a = b[h];
      for (int i = 0; i < inputs_; ++i) a += w[h * inputs_ + i] * x[i];
      const double z = sigmoid(a);
      out += v[h] * z;
      const double d = v[h] * z * (1 - z);  // d out / d a_h
      for (int i = 0; i < inputs_; ++i) j[h * inputs_ + i] = d * x[i];
      j[off_b1 + static_cast<size_t>(h)] = d;
      j[off_w2 + static_cast<size_t>(h)] = z;
    }
    j[np - 1] = 1.0;
    e[r] = out - s.y[r];
  }
}

bool solve_spd(std::vector<double> a, std::vector<double> b, size_t n, std::vector<double>& x) {
  // Cholesky A = L L' in place (lower triangle), then two triangular solves.
  for (size_t j = 0; j < n; ++j) {
    double d = a[j * n + j];
    for (size_t k = 0; k < j; ++k) d -= a[j * n + k] * a[j * n + k];
    if (!(d > 0) || !std::isfinite(d)) return false;
    d = std::sqrt(d);
    a[j * n + j] = d;
    for (size_t i = j + 1; i < n; ++i) {
      double v = a[i * n + j];
      for (size_t k = 0; k < j; ++k) v -= a[i * n + k] * a[j * n + k];
      a[i * n + j] = v / d;
    }
  }
  for (size_t i = 0; i < n; ++i) {
    double v = b[i];
    for (size_t k = 0; k < i; ++k) v -= a[i * n + k] * b[k];
    b[i] = v / a[i * n + i];
  }
  for (size_t i = n; i-- > 0;) {
    double v = b[i];
    for (size_t k = i + 1; k < n; ++k) v -= a[k * n + i] * b[k];
    b[i] = v / a[i * n + i];
  }
  x = std::move(b);
  return true;
}

double LinearModel::predict(const double* x) const {
  double y = intercept;
  for (size_t i = 0; i < coef.size(); ++i) y += coef[i] * x[i];
  return y;
}

std::vector<double> LinearModel::predict(const Samples& s) const {
  std::vector<double> out(s.rows());
  for (size_t r = 0; r < s.rows(); ++r) out[r] = predict(s.row(r));
  return out;
}

std::string LinearModel::equation(const std::vector<std::string>& names, const std::string& target) const {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.6g", intercept);
  std::string out = target + " = " + buf;
  for (size_t i = 0; i < coef.size(); ++i) {
    std::snprintf(buf, sizeof(buf), "%.6g", std::abs(coef[i]));
    out += std::string(coef[i] < 0 ? " - " : " + ") + buf + " * " + (i < names.size() ? names[i] : "x" + std::to_string(i + 1));
  }
  return out;
}

LinearModel fit_linear(const Samples& s) {
  const size_t n = s.rows(), m = s.cols;
  if (n < m + 1)
    throw std::invalid_argument("linear regression needs at least " + std::to_string(m + 1) + " rows, got " +
                                std::to_string(n));
  std::vector<double> mean(m, 0.0), sd(m, 0.0);
  double ymean = 0;
  for (size_t r = 0; r < n; ++r) {
    for (size_t i = 0; i < m; ++i) mean[i] += s.row(r)[i];
    ymean += s.y[r];
  }
  for (auto& v : mean) v /= static_cast<double>(n);
  ymean /= static_cast<double>(n);
  for (size_t r = 0; r < n; ++r)
    for (size_t i = 0; i < m; ++i) sd[i] += (s.row(r)[i] - mean[i]) * (s.row(r)[i] - mean[i]);
  for (size_t i = 0; i < m; ++i) {
    sd[i] = std::sqrt(sd[i] / static_cast<double>(n));
    if (!(sd[i] > 0)) throw std::invalid_argument("linear regression: input " + std::to_string(i + 1) + " is constant");
  }
  std::vector<double> ztz(m * m, 0.0), zty(m, 0.0), z(m);
  for (size_t r = 0; r < n; ++r) {
    for (size_t i = 0; i < m; ++i) z[i] = (s.row(r)[i] - mean[i]) / sd[i];
    for (size_t i = 0; i < m; ++i) {
      zty[i] += z[i] * (s.y[r] - ymean);
      for (size_t k = 0; k < m; ++k) ztz[i * m + k] += z[i] * z[k];
    }
  }
  std::vector<double> beta;
  if (!solve_spd(ztz, zty, m, beta)) throw std::invalid_argument("linear regression: the inputs are collinear");
  LinearModel model;
  model.intercept = ymean;
  model.coef.resize(m);
  for (size_t i = 0; i < m; ++i) {
    model.coef[i] = beta[i] / sd[i];
    model.intercept -= model.coef[i] * mean[i];
  }
  return model;
}

}  // namespace alloyml::classical
