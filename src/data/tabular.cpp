#include "alloyml/data/tabular.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "alloyml/core/error.h"

namespace alloyml::data {

double numeric_cell(const CsvTable& table, size_t row, size_t column) {
  const std::string& cell = column < table.rows[row].size() ? table.rows[row][column] : std::string();
  const std::string where = table.path + ": row " + std::to_string(row + 1) + " (line " +
                            std::to_string(table.line_numbers[row]) + "), column '" + table.header[column] + "'";
  size_t b = 0, e = cell.size();
  while (b < e && std::isspace(static_cast<unsigned char>(cell[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(cell[e - 1]))) --e;
  if (b == e) throw InputError(where + " is empty");
  const std::string text = cell.substr(b, e - b);
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || errno == ERANGE)
    throw InputError(where + ": '" + text + "' is not a number");
  if (!std::isfinite(v)) throw InputError(where + ": '" + text + "' is not a finite number");
  return v;
}

NumericTable read_numeric_table(const std::string& path, const std::vector<std::string>& features,
                                const std::string& target) {
  const CsvTable csv = read_csv(path);
  NumericTable t;
  t.path = path;
  t.features = features;
  t.target = target;
  std::vector<size_t> cols;
  for (const auto& f : features) cols.push_back(csv.column(f));
  const size_t target_col = csv.column(target);
  if (csv.rows.empty()) throw InputError(path + ": the table has a header but no rows");
  t.samples.cols = features.size();
  std::vector<double> x(features.size());
  for (size_t r = 0; r < csv.rows.size(); ++r) {
    for (size_t i = 0; i < cols.size(); ++i) x[i] = numeric_cell(csv, r, cols[i]);
    t.samples.add(x, numeric_cell(csv, r, target_col));
    t.rows.push_back(r + 1);
  }
  return t;
}

MinMaxScaler MinMaxScaler::fit(const data::Samples& s) {
  MinMaxScaler m;
  m.x_min.assign(s.cols, 0.0);
  m.x_max.assign(s.cols, 1.0);
  if (s.rows() == 0) return m;
  for (size_t i = 0; i < s.cols; ++i) m.x_min[i] = m.x_max[i] = s.row(0)[i];
  m.y_min = m.y_max = s.y[0];
  for (size_t r = 0; r < s.rows(); ++r) {
    for (size_t i = 0; i < s.cols; ++i) {
      m.x_min[i] = std::min(m.x_min[i], s.row(r)[i]);
      m.x_max[i] = std::max(m.x_max[i], s.row(r)[i]);
    }
    m.y_min = std::min(m.y_min, s.y[r]);
    m.y_max = std::max(m.y_max, s.y[r]);
  }
  return m;
}

namespace {
double scale(double v, double lo, double hi) { return hi > lo ? 2.0 * (v - lo) / (hi - lo) - 1.0 : 0.0; }
}  // namespace

std::vector<double> MinMaxScaler::scale_inputs(const double* x) const {
  std::vector<double> out(x_min.size());
  for (size_t i = 0; i < out.size(); ++i) out[i] = scale(x[i], x_min[i], x_max[i]);
  return out;
}

double MinMaxScaler::scale_target(double y) const { return scale(y, y_min, y_max); }

double MinMaxScaler::unscale_target(double v) const { return y_max > y_min ? y_min + (v + 1.0) / 2.0 * (y_max - y_min) : y_min; }

data::Samples MinMaxScaler::apply(const data::Samples& s) const {
  data::Samples out;
  out.cols = s.cols;
  for (size_t r = 0; r < s.rows(); ++r) out.add(scale_inputs(s.row(r)), scale_target(s.y[r]));
  return out;
}

}  // namespace alloyml::data
