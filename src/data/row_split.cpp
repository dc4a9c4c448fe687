#include "alloyml/data/row_split.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "alloyml/core/error.h"
#include "alloyml/core/rng.h"

namespace alloyml::data {

RowSplit random_row_split(std::vector<size_t> indices, double val, double test, std::uint64_t seed,
                          const std::string& source) {
  auto share = [](double value, size_t n) {
    return value >= 1 ? static_cast<size_t>(value) : static_cast<size_t>(std::llround(value * static_cast<double>(n)));
  };
  seeded_shuffle(indices, derive_seed(seed, 0x59117));
  const size_t n = indices.size(), nv = share(val, n), nt = share(test, n);
  if (nv + nt >= n)
    throw InputError(source + ": data.split leaves no training rows (" + std::to_string(n) + " rows, " +
                     std::to_string(nv) + " for validation, " + std::to_string(nt) + " for test)");
  RowSplit s;
  s.val.assign(indices.begin(), indices.begin() + static_cast<long>(nv));
  s.test.assign(indices.begin() + static_cast<long>(nv), indices.begin() + static_cast<long>(nv + nt));
  s.train.assign(indices.begin() + static_cast<long>(nv + nt), indices.end());
  for (auto* v : {&s.train, &s.val, &s.test}) std::sort(v->begin(), v->end());
  return s;
}

std::vector<int> regression_folds(const std::vector<double>& y, int k, std::uint64_t seed) {
  if (k < 2) throw InputError("cv.folds must be 0 (no cross-validation) or at least 2");
  if (y.size() < static_cast<size_t>(k))
    throw InputError("cv.folds is " + std::to_string(k) + " but there are only " + std::to_string(y.size()) + " rows");
  std::vector<size_t> order(y.size());
  std::iota(order.begin(), order.end(), size_t{0});
  seeded_shuffle(order, derive_seed(seed, 0xF01D));
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return y[a] < y[b]; });
  std::vector<int> folds(y.size(), 0), deal(static_cast<size_t>(k));
  std::iota(deal.begin(), deal.end(), 0);
  // The last, partial run goes to the folds that are smallest so far, keeping sizes within one.
  std::vector<size_t> sizes(static_cast<size_t>(k), 0);
  for (size_t start = 0; start < order.size(); start += static_cast<size_t>(k)) {
    seeded_shuffle(deal, derive_seed(seed, 0xDEA1, start));
    std::stable_sort(deal.begin(), deal.end(), [&](int a, int b) { return sizes[static_cast<size_t>(a)] < sizes[static_cast<size_t>(b)]; });
    for (size_t j = 0; j < static_cast<size_t>(k) && start + j < order.size(); ++j) {
      folds[order[start + j]] = deal[j];
      ++sizes[static_cast<size_t>(deal[j])];
    }
  }
  return folds;
}

}  // namespace alloyml::data
