#include "alloyml/tasks/gfa/ternary.h"

#include <cmath>
#include <sstream>

#include "alloyml/core/error.h"
#include "alloyml/core/text.h"
#include "alloyml/data/composition.h"
#include "alloyml/data/elements.h"

namespace alloyml::tasks {

std::string amount_text(double v) {
  std::ostringstream os;
  os << std::round(v * 1e6) / 1e6;
  return os.str();
}

std::vector<std::string> system_elements(const std::string& system) {
  std::vector<std::string> symbols;
  std::stringstream ss(system);
  for (std::string s; std::getline(ss, s, '-');) symbols.push_back(trim(s));
  if (symbols.size() != 3)
    throw InputError("--system '" + system + "': give three elements separated by '-', e.g. La-Co-Al");
  for (const auto& s : symbols)
    if (data::atomic_number(s) == 0) throw InputError("--system '" + system + "': '" + s + "' is not an element symbol");
  if (symbols[0] == symbols[1] || symbols[0] == symbols[2] || symbols[1] == symbols[2])
    throw InputError("--system '" + system + "': the three elements must differ");
  return symbols;
}

std::vector<TernaryPoint> ternary_grid(const std::string& system, double step) {
  const auto symbols = system_elements(system);
  const double n_steps = 100.0 / step;
  if (!(step > 0) || step > 100 || std::fabs(n_steps - std::round(n_steps)) > 1e-9)
    throw InputError("--step " + amount_text(step) + ": must divide 100 (e.g. 1, 2, 2.5, 5)");
  const int n = static_cast<int>(std::lround(n_steps));
  std::vector<TernaryPoint> out;
  for (int i = n; i >= 0; --i)
    for (int j = n - i; j >= 0; --j) {
      const int k = n - i - j;
      TernaryPoint p;
      p.fractions = {static_cast<double>(i) / n, static_cast<double>(j) / n, static_cast<double>(k) / n};
      for (size_t e = 0; e < 3; ++e)
        if (p.fractions[e] > 0) p.formula += symbols[e] + amount_text(100.0 * p.fractions[e]);
      out.push_back(std::move(p));
    }
  return out;
}

}  // namespace alloyml::tasks
