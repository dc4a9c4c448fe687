#pragma once
// The small regression networks of the springback method (GA-BP, after the straightening paper):
// a one-hidden-layer perceptron m-h-1 with a sigmoid hidden layer and a linear output, held as
// one flat parameter vector so a genetic algorithm and Levenberg-Marquardt can work on it.
// Layout of the vector (MATLAB's order): W1 (h x m, row-major), b1 (h), w2 (h), b2.
#include <cstdint>
#include <string>
#include <vector>

#include "alloyml/data/samples.h"

namespace alloyml::classical {

using data::Samples;

class Mlp {
 public:
  Mlp() = default;
  Mlp(int inputs, int hidden);

  /// h (m + 2) + 1: 57 for the paper's 5-8-1.
  static size_t parameter_count(int inputs, int hidden) {
    return static_cast<size_t>(hidden) * static_cast<size_t>(inputs + 2) + 1;
  }
  size_t parameter_count() const { return parameter_count(inputs_, hidden_); }
  int inputs() const { return inputs_; }
  int hidden() const { return hidden_; }

  std::vector<double>& parameters() { return p_; }
  const std::vector<double>& parameters() const { return p_; }
  /// Throws std::invalid_argument when the size does not match.
  void set_parameters(std::vector<double> p);

  /// Nguyen-Widrow initialisation of the hidden layer (inputs in [-1, 1]) and a uniform
  /// [-1, 1] output layer, as MATLAB's `initnw` for a fresh BP network.
  void init_random(std::uint64_t seed);

  double predict(const double* x) const;
  std::vector<double> predict(const Samples& s) const;
  /// Mean squared error over the samples.
  double mse(const Samples& s) const;
  /// Residuals e = prediction - target and their Jacobian de/dp (rows x parameters, row-major).
  void residuals_and_jacobian(const Samples& s, std::vector<double>& e, std::vector<double>& jacobian) const;

  // Views of the parameter vector.
  double w1(int h, int i) const { return p_[static_cast<size_t>(h * inputs_ + i)]; }
  double b1(int h) const { return p_[static_cast<size_t>(hidden_ * inputs_ + h)]; }
  double w2(int h) const { return p_[static_cast<size_t>(hidden_ * (inputs_ + 1) + h)]; }
  double b2() const { return p_.back(); }

 private:
  int inputs_ = 0, hidden_ = 0;
  std::vector<double> p_;
};

/// Solves (A) x = b for a symmetric positive-definite n x n matrix (row-major) by Cholesky.
/// Returns false when A is not positive definite (x is then left unspecified).
bool solve_spd(std::vector<double> a, std::vector<double> b, size_t n, std::vector<double>& x);

/// Multiple linear regression by least squares: y = intercept + sum_i coef_i x_i.
struct LinearModel {
  double intercept = 0;
  std::vector<double> coef;
  double predict(const double* x) const;
  std::vector<double> predict(const Samples& s) const;
  /// "y = 0.0123 + 0.0456 * stroke_mm - ..." with the given names.
  std::string equation(const std::vector<std::string>& feature_names, const std::string& target_name) const;
};

/// Fits on the samples (features centred and scaled inside, so the normal equations stay well
/// conditioned). Throws std::invalid_argument when the features are collinear or too few rows.
LinearModel fit_linear(const Samples& s);

}  // namespace alloyml::classical
