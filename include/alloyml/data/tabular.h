#pragma once
// Numeric tables for the tabular tasks (springback regression): CSV columns chosen by name,
// every cell checked, and the min-max scaling the networks train in.
#include <string>
#include <vector>

#include "alloyml/data/samples.h"
#include "alloyml/core/csv.h"

namespace alloyml::data {

/// The number in a cell; an empty, non-numeric, NaN or infinite cell is an InputError naming the
/// file, the data row, its line and the column.
double numeric_cell(const CsvTable& table, size_t row, size_t column);

/// A numeric table read from a CSV: the named feature columns and the target.
struct NumericTable {
  std::string path;
  std::vector<std::string> features;
  std::string target;
  data::Samples samples;
  std::vector<size_t> rows;  ///< 1-based data row of each sample in the file (header not counted)
};

/// Reads the feature and target columns of `path`. A missing column, a bad cell or an empty table
/// is an InputError naming the file (and the row and column).
NumericTable read_numeric_table(const std::string& path, const std::vector<std::string>& features,
                                const std::string& target);

/// Min-max scaling to [-1, 1] of inputs and target with the training set's extremes, as MATLAB's
/// `mapminmax` (so `trainlm`'s performance goal means what it meant in the paper); a constant
/// column maps to 0.
struct MinMaxScaler {
  std::vector<double> x_min, x_max;
  double y_min = 0, y_max = 1;

  static MinMaxScaler fit(const data::Samples& train);
  data::Samples apply(const data::Samples& s) const;
  std::vector<double> scale_inputs(const double* x) const;
  double scale_target(double y) const;
  double unscale_target(double scaled) const;
};

}  // namespace alloyml::data
