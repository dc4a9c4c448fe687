#include "alloyml/data/elements.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "alloyml/core/error.h"
#include "alloyml/core/text.h"

namespace alloyml::data {
namespace {

constexpr double kNa = std::numeric_limits<double>::quiet_NaN();

// {radius (A), Pauling electronegativity, VEC, melting point (K)} for Z = 1..92; sources in elements.h.
constexpr std::array<std::array<double, 4>, 92> kTable{{
    {0.25, 2.2, 1, 14.05},  // 1 H
    {kNa, kNa, 0, 0.95},  // 2 He
    {1.45, 0.98, 1, 453.65},  // 3 Li
    {1.05, 1.57, 2, 1551.15},  // 4 Be
    {0.85, 2.04, 3, 2352.15},  // 5 B
    {0.7, 2.55, 4, 3640.15},  // 6 C
    {0.65, 3.04, 5, 63.25},  // 7 N
    {0.6, 3.44, 6, 54.75},  // 8 O
    {0.5, 3.98, 7, 53.35},  // 9 F
    {kNa, kNa, 0, 24.45},  // 10 Ne
    {1.8, 0.93, 1, 370.95},  // 11 Na
    {1.5, 1.31, 2, 922.15},  // 12 Mg
    {1.25, 1.61, 3, 933.15},  // 13 Al
    {1.1, 1.9, 4, 1683.15},  // 14 Si
    {1.0, 2.19, 5, 317.25},  // 15 P
    {1.0, 2.58, 6, 385.95},  // 16 S
    {1.0, 3.16, 7, 172.15},  // 17 Cl
    {0.71, kNa, 0, 83.95},  // 18 Ar
    {2.2, 0.82, 1, 336.4},  // 19 K
    {1.8, 1, 2, 1112.15},  // 20 Ca
    {1.6, 1.36, 3, 1814.15},  // 21 Sc
    {1.4, 1.54, 4, 1933.15},  // 22 Ti
    {1.35, 1.63, 5, 2163.15},  // 23 V
    {1.4, 1.66, 6, 2130.15},  // 24 Cr
    {1.4, 1.55, 7, 1517.15},  // 25 Mn
    {1.4, 1.83, 8, 1808.15},  // 26 Fe
    {1.35, 1.88, 9, 1768.15},  // 27 Co
    {1.35, 1.91, 10, 1726.15},  // 28 Ni
    {1.35, 1.9, 11, 1356.15},  // 29 Cu
    {1.35, 1.65, 12, 692.75},  // 30 Zn
    {1.3, 1.81, 3, 302.95},  // 31 Ga
    {1.25, 2.01, 4, 1220.55},  // 32 Ge
    {1.15, 2.18, 5, 1090.15},  // 33 As
    {1.15, 2.55, 6, 490.15},  // 34 Se
    {1.15, 2.96, 7, 265.95},  // 35 Br
    {kNa, kNa, 0, 116.15},  // 36 Kr
    {2.35, 0.82, 1, 312.05},  // 37 Rb
    {2.0, 0.95, 2, 1042.15},  // 38 Sr
    {1.8, 1.22, 3, 1796.15},  // 39 Y
    {1.55, 1.33, 4, 2125.15},  // 40 Zr
    {1.45, 1.6, 5, 2741.15},  // 41 Nb
    {1.45, 2.16, 6, 2890.15},  // 42 Mo
    {1.35, 1.9, 7, 2445.15},  // 43 Tc
    {1.3, 2.2, 8, 2583.15},  // 44 Ru
    {1.35, 2.28, 9, 2239.15},  // 45 Rh
    {1.4, 2.2, 10, 1827.15},  // 46 Pd
    {1.6, 1.93, 11, 1235.15},  // 47 Ag
    {1.55, 1.69, 12, 594.05},  // 48 Cd
    {1.55, 1.78, 3, 429.75},  // 49 In
    {1.45, 1.96, 4, 505.15},  // 50 Sn
    {1.45, 2.05, 5, 904.15},  // 51 Sb
    {1.4, 2.1, 6, 722.65},  // 52 Te
    {1.4, 2.66, 7, 386.65},  // 53 I
    {kNa, kNa, 0, 161.35},  // 54 Xe
    {2.6, 0.79, 1, 301.55},  // 55 Cs
    {2.15, 0.89, 2, 998.15},  // 56 Ba
    {1.95, 1.1, 3, 1193.15},  // 57 La
    {1.85, 1.12, 3, 1071.15},  // 58 Ce
    {1.85, 1.13, 3, 1204.15},  // 59 Pr
    {1.85, 1.14, 3, 1289.15},  // 60 Nd
    {1.85, 1.15, 3, 1315.15},  // 61 Pm
    {1.85, 1.17, 3, 1347.15},  // 62 Sm
    {1.85, 1.2, 3, 1095.15},  // 63 Eu
    {1.8, 1.2, 3, 1586.15},  // 64 Gd
    {1.75, 1.2, 3, 1638.15},  // 65 Tb
    {1.75, 1.22, 3, 1685.15},  // 66 Dy
    {1.75, 1.23, 3, 1747.15},  // 67 Ho
    {1.75, 1.24, 3, 1802.15},  // 68 Er
    {1.75, 1.25, 3, 1818.15},  // 69 Tm
    {1.75, 1.1, 3, 1092.15},  // 70 Yb
    {1.75, 1.27, 3, 1936.15},  // 71 Lu
    {1.55, 1.3, 4, 2500.15},  // 72 Hf
    {1.45, 1.5, 5, 3269.15},  // 73 Ta
    {1.35, 1.7, 6, 3683.15},  // 74 W
    {1.35, 1.9, 7, 3453.15},  // 75 Re
    {1.3, 2.2, 8, 3318.15},  // 76 Os
    {1.35, 2.2, 9, 2683.15},  // 77 Ir
    {1.35, 2.28, 10, 2045.15},  // 78 Pt
    {1.35, 2.54, 11, 1337.15},  // 79 Au
    {1.5, 2, 12, 234.25},  // 80 Hg
    {1.9, 1.62, 3, 576.15},  // 81 Tl
    {1.8, 1.8, 4, 600.65},  // 82 Pb
    {1.6, 2.02, 5, 544.15},  // 83 Bi
    {1.9, kNa, kNa, kNa},  // 84 Po
    {kNa, kNa, kNa, kNa},  // 85 At
    {kNa, kNa, kNa, kNa},  // 86 Rn
    {kNa, kNa, kNa, kNa},  // 87 Fr
    {2.15, kNa, kNa, kNa},  // 88 Ra
    {1.95, kNa, kNa, kNa},  // 89 Ac
    {1.8, 1.3, 4, 2023.15},  // 90 Th
    {1.8, kNa, kNa, kNa},  // 91 Pa
    {1.75, 1.38, 6, 1405.15},  // 92 U
}};

size_t property_index(const std::string& name) {
  const auto& names = element_property_names();
  const auto it = std::find(names.begin(), names.end(), name);
  if (it == names.end()) {
    const std::string guess = closest(name, names);
    throw InputError("unknown element property '" + name + "'" + (guess.empty() ? "" : "; did you mean '" + guess + "'?") +
                     " Valid: " + join(names));
  }
  return static_cast<size_t>(it - names.begin());
}

}  // namespace

const std::vector<std::string>& element_property_names() {
  static const std::vector<std::string> names{"radius", "electronegativity", "vec", "melting_point"};
  return names;
}

double element_property(int z, const std::string& name) {
  const size_t k = property_index(name);
  if (z < 1 || z > 103) throw InputError("no element with atomic number " + std::to_string(z));
  return z <= static_cast<int>(kTable.size()) ? kTable[static_cast<size_t>(z - 1)][k] : kNa;
}

double element_property_scaled(int z, const std::string& name) {
  const size_t k = property_index(name);
  static const auto extremes = [] {
    std::array<std::array<double, 2>, 4> e{};
    for (size_t p = 0; p < 4; ++p) {
      e[p] = {1e300, -1e300};
      for (const auto& row : kTable)
        if (!std::isnan(row[p])) e[p] = {std::min(e[p][0], row[p]), std::max(e[p][1], row[p])};
    }
    return e;
  }();
  const double v = element_property(z, name);
  return (v - extremes[k][0]) / (extremes[k][1] - extremes[k][0]);
}

}  // namespace alloyml::data
