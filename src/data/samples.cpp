#include "alloyml/data/samples.h"

#include <stdexcept>

namespace alloyml::data {

void Samples::add(const std::vector<double>& inputs, double target) {
  if (cols == 0 && y.empty()) cols = inputs.size();
  if (inputs.size() != cols) throw std::invalid_argument("Samples::add: wrong number of inputs");
  x.insert(x.end(), inputs.begin(), inputs.end());
  y.push_back(target);
}

Samples Samples::subset(const std::vector<size_t>& indices) const {
  Samples s;
  s.cols = cols;
  s.x.reserve(indices.size() * cols);
  for (size_t i : indices) {
    s.x.insert(s.x.end(), row(i), row(i) + cols);
    s.y.push_back(y[i]);
  }
  return s;
}

}  // namespace alloyml::data
