#include "alloyml/data/gfa_synthetic.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <sstream>

#include "alloyml/core/fs.h"
#include "alloyml/core/rng.h"
#include "alloyml/data/composition.h"
#include "alloyml/data/elements.h"

namespace alloyml::data {

double synthetic_dmax(const std::vector<std::pair<int, double>>& fr) {
  double r_mean = 0, x_mean = 0;
  for (const auto& [z, c] : fr) {
    r_mean += c * element_property(z, "radius");
    x_mean += c * element_property(z, "electronegativity");
  }
  double delta = 0, dx = 0;
  for (const auto& [z, c] : fr) {
    const double dr = 1 - element_property(z, "radius") / r_mean, de = element_property(z, "electronegativity") - x_mean;
    delta += c * dr * dr;
    dx += c * de * de;
  }
  delta = 100 * std::sqrt(delta);
  dx = std::sqrt(dx);
  const double s = 0.2 * delta + 2 * dx + 0.4 * (static_cast<double>(fr.size()) - 2) - 3.8;
  if (s <= 0) return 0.0;
  return std::round(10 * std::min(35.0, 1.2 * (std::exp(0.8 * s) - 1))) / 10;
}

std::vector<SyntheticAlloy> synthetic_alloys(int n, std::uint64_t seed) {
  static const char* const kPool[] = {"Zr", "Cu", "Al", "Ni", "Ti", "Be", "La", "Co",
                                      "Fe", "B",  "Si", "Pd", "P",  "Mg", "Y",  "Nb"};
  std::mt19937_64 gen(derive_seed(seed, 0x6FA));
  std::vector<SyntheticAlloy> out;
  for (int i = 0; i < n; ++i) {
    const int k = 2 + static_cast<int>(gen() % 4);
    std::vector<int> pick(16);
    for (int j = 0; j < 16; ++j) pick[static_cast<size_t>(j)] = j;
    seeded_shuffle(pick, gen());
    // Dirichlet(2) amounts, at least 2 at.% each, to one decimal.
    std::vector<double> amount(static_cast<size_t>(k));
    double sum = 0;
    for (auto& a : amount) {
      a = -std::log(1 - uniform01(gen)) - std::log(1 - uniform01(gen));  // Gamma(2, 1)
      sum += a;
    }
    std::vector<std::pair<int, double>> fr;
    std::string formula;
    double used = 0;
    for (int j = 0; j < k; ++j) {
      double at = j + 1 < k ? std::round(10 * (2 + (100 - 2 * k) * amount[static_cast<size_t>(j)] / sum)) / 10 : 100 - used;
      at = std::round(10 * at) / 10;
      used += at;
      const std::string sym = kPool[pick[static_cast<size_t>(j)]];
      char buf[32];
      std::snprintf(buf, sizeof(buf), "%.1f", at);
      formula += sym + buf;
      fr.emplace_back(atomic_number(sym), at / 100);
    }
    out.push_back({formula, synthetic_dmax(fr)});
  }
  return out;
}

void write_synthetic_alloys(const std::string& path, int n, std::uint64_t seed) {
  std::ostringstream o;
  o << "formula,dmax_mm\n";
  for (const auto& a : synthetic_alloys(n, seed)) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%.1f", a.dmax_mm);
    o << a.formula << ',' << buf << '\n';
  }
  write_text_atomically(path, o.str());
}

}  // namespace alloyml::data
