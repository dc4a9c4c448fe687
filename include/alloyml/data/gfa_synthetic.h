#pragma once
// Synthetic glass-forming-ability data, so tests and the embedded demo need no real set. Alloys of
// 2-5 elements drawn from 16 glass-forming elements, with a Dmax that follows the empirical rules
// of thumb (Inoue's: several elements, large atomic-size mismatch, large electronegativity
// spread): s = 0.2 delta + 2 dX + 0.4 (k - 2) - 3.8, with delta the size mismatch in % (Slater
// radii), dX the fraction-weighted standard deviation of Pauling electronegativity and k the
// element count; Dmax = 0 for s <= 0, else min(35, 1.2 (exp(0.8 s) - 1)) mm, rounded to 0.1 mm.
// Like the real sets it is long-tailed with many zeros. It is a stand-in, not materials science:
// real data are the Dmax compilations named in data/gfa/README.md.
#include <cstdint>
#include <string>
#include <vector>

namespace alloyml::data {

struct SyntheticAlloy {
  std::string formula;  ///< e.g. "Zr41.2Cu33.5Al25.3" (atomic percent, one decimal)
  double dmax_mm = 0;
};

/// The rule above for a composition given as (atomic number, fraction) pairs.
double synthetic_dmax(const std::vector<std::pair<int, double>>& fractions);

std::vector<SyntheticAlloy> synthetic_alloys(int n, std::uint64_t seed);

/// Writes `formula,dmax_mm` rows.
void write_synthetic_alloys(const std::string& path, int n, std::uint64_t seed);

}  // namespace alloyml::data
