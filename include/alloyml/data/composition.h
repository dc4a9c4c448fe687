#pragma once
// Alloy compositions as researchers write them, for the glass-forming-ability task:
// "Zr41.2Ti13.8Cu12.5Ni10Be22.5", "CuZr" (implicit 1), "(Fe50Ni50)83B17", "La70Al14(CuNi)16",
// "[(Fe0.9Co0.1)0.75B0.2Si0.05]96Nb4" (round, square and curly brackets). Amounts need not sum to 100: the result is atomic
// fractions. A bracketed group is normalised first, then weighted by its subscript.
#include <string>
#include <utility>
#include <vector>

#include "alloyml/core/error.h"

namespace alloyml::data {

/// Atomic number of an element symbol ("Fe" -> 26), 0 when it is not one (H..Lr).
int atomic_number(const std::string& symbol);

/// The symbol of atomic number z (1..103), "" otherwise.
std::string element_symbol(int z);

/// A formula that cannot be read: the message quotes it and points at the position.
class FormulaError : public InputError {
 public:
  FormulaError(const std::string& formula, size_t position, const std::string& what);
  size_t position() const { return position_; }

 private:
  size_t position_;
};

struct Composition {
  /// (atomic number, atomic fraction), ordered by atomic number; fractions sum to 1.
  std::vector<std::pair<int, double>> fractions;
  double fraction_of(int z) const;
  /// "Cu0.5Zr0.5"-style text (fractions), for messages and outputs.
  std::string to_string() const;
};

/// Brackets nested deeper than this are a FormulaError (the parser recurses once per level).
inline constexpr int kMaxFormulaDepth = 32;

/// Parses a formula; throws FormulaError on anything it cannot read (unknown symbol, a stray
/// character, unbalanced brackets, a zero or missing amount sum).
Composition parse_formula(const std::string& formula);

}  // namespace alloyml::data
