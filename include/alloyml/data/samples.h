#pragma once
// Rows of numeric inputs with one target each: what the tabular readers produce and the small
// regression models (classical/) fit.
#include <cstddef>
#include <vector>

namespace alloyml::data {

/// Row-major inputs with one target per row.
struct Samples {
  size_t cols = 0;
  std::vector<double> x;  ///< rows() * cols values
  std::vector<double> y;  ///< one per row
  size_t rows() const { return y.size(); }
  const double* row(size_t r) const { return x.data() + r * cols; }
  /// Appends a row; std::invalid_argument when it has another number of inputs than the rows before.
  void add(const std::vector<double>& inputs, double target);
  /// The rows `indices`, in that order.
  Samples subset(const std::vector<size_t>& indices) const;
};

}  // namespace alloyml::data
