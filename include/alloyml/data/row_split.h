#pragma once
// Splits of table rows: a seeded random train/val/test split, and k folds stratified by the
// target (the gfa task's cross-validation).
#include <cstdint>
#include <string>
#include <vector>

namespace alloyml::data {

struct RowSplit {
  std::vector<size_t> train, val, test;  ///< each sorted
};

/// Seeded random split of `indices` into train / val / test; `val` and `test` are fractions (< 1)
/// or counts (>= 1) of them. InputError naming `source` when no training rows remain.
RowSplit random_row_split(std::vector<size_t> indices, double val, double test, std::uint64_t seed,
                          const std::string& source);

/// k-fold assignment stratified by the target: samples sorted by target (ties broken by a seeded
/// shuffle), then each consecutive run of k dealt to the folds in a seeded random order, so every
/// fold sees the whole range, the long tail included. Fold sizes differ by at most one.
std::vector<int> regression_folds(const std::vector<double>& targets, int k, std::uint64_t seed);

}  // namespace alloyml::data
