#pragma once
// Ternary systems "A-B-C" on a composition grid, for the design of new alloys (predict --system).
#include <array>
#include <string>
#include <vector>

namespace alloyml::tasks {

/// The three element symbols of a ternary system "A-B-C"; InputError unless they are three
/// different element symbols.
std::vector<std::string> system_elements(const std::string& system);

/// Compositions of the ternary system "A-B-C" on a grid of `step` atomic percent (every
/// composition with all three fractions multiples of step, the binaries and pure elements
/// included). Bad symbols or a step that does not divide 100 are InputErrors.
struct TernaryPoint {
  std::array<double, 3> fractions{};  ///< of the three elements, in the order given
  std::string formula;                ///< e.g. "La60Co20Al20"
};
std::vector<TernaryPoint> ternary_grid(const std::string& system, double step);

/// An amount in atomic percent as a formula writes it: "20", "2.5".
std::string amount_text(double v);

}  // namespace alloyml::tasks
