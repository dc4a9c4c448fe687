#include "alloyml/data/composition.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>

namespace alloyml::data {
namespace {

const char* const kSymbols[] = {
    "",   "H",  "He", "Li", "Be", "B",  "C",  "N",  "O",  "F",  "Ne", "Na", "Mg", "Al", "Si", "P",  "S",
    "Cl", "Ar", "K",  "Ca", "Sc", "Ti", "V",  "Cr", "Mn", "Fe", "Co", "Ni", "Cu", "Zn", "Ga", "Ge", "As",
    "Se", "Br", "Kr", "Rb", "Sr", "Y",  "Zr", "Nb", "Mo", "Tc", "Ru", "Rh", "Pd", "Ag", "Cd", "In", "Sn",
    "Sb", "Te", "I",  "Xe", "Cs", "Ba", "La", "Ce", "Pr", "Nd", "Pm", "Sm", "Eu", "Gd", "Tb", "Dy", "Ho",
    "Er", "Tm", "Yb", "Lu", "Hf", "Ta", "W",  "Re", "Os", "Ir", "Pt", "Au", "Hg", "Tl", "Pb", "Bi", "Po",
    "At", "Rn", "Fr", "Ra", "Ac", "Th", "Pa", "U",  "Np", "Pu", "Am", "Cm", "Bk", "Cf", "Es", "Fm", "Md",
    "No", "Lr"};
constexpr int kMaxZ = 103;

// A formula longer than this is quoted as the stretch around the position, between "...".
constexpr size_t kShownFormula = 120;

std::string caret_message(const std::string& formula, size_t pos, const std::string& what) {
  std::string shown = formula;
  size_t caret = pos;
  if (formula.size() > kShownFormula) {
    const size_t from = pos > kShownFormula / 2 ? pos - kShownFormula / 2 : 0;
    shown = (from > 0 ? "..." : "") + formula.substr(from, kShownFormula) + (from + kShownFormula < formula.size() ? "..." : "");
    caret = pos - from + (from > 0 ? 3 : 0);
  }
  return "formula '" + shown + "': " + what + " at position " + std::to_string(pos + 1) + "\n  " + shown + "\n  " +
         std::string(caret, ' ') + "^";
}

// Recursive-descent parser. group := (Element | '(' seq ')' | '[' seq ']' | '{' seq '}') amount?
class Parser {
 public:
  explicit Parser(const std::string& f) : f_(f) {}

  std::map<int, double> sequence(char close) {
    std::map<int, double> out;
    for (;;) {
      skip_space();
      if (at_end()) {
        if (close) fail(f_.size(), std::string("missing '") + close + "'");
        break;
      }
      const char c = f_[i_];
      if (c == ')' || c == ']' || c == '}') {
        if (c != close) fail(i_, close ? std::string("expected '") + close + "', found '" + c + "'"
                                       : std::string("unmatched '") + c + "'");
        break;
      }
      std::map<int, double> part;
      const size_t start = i_;
      if (c == '(' || c == '[' || c == '{') {
        if (++depth_ > kMaxFormulaDepth)
          fail(i_, "brackets nested deeper than " + std::to_string(kMaxFormulaDepth) + " levels");
        ++i_;
        part = sequence(c == '(' ? ')' : c == '[' ? ']' : '}');
        ++i_;  // the closing bracket
        --depth_;
        const double sum = total(part);
        if (sum <= 0) fail(start, "the bracketed group has no amount");
        for (auto& [z, a] : part) a /= sum;
      } else if (std::isupper(static_cast<unsigned char>(c))) {
        std::string sym(1, c);
        ++i_;
        if (!at_end() && std::islower(static_cast<unsigned char>(f_[i_]))) sym += f_[i_++];
        const int z = atomic_number(sym);
        if (z == 0) fail(start, "unknown element '" + sym + "'");
        part[z] = 1.0;
      } else {
        fail(i_, std::string("unexpected '") + c + "'");
      }
      skip_space();
      const double amount = number_or(1.0);
      for (const auto& [z, a] : part) out[z] += a * amount;
    }
    return out;
  }

  [[noreturn]] void fail(size_t pos, const std::string& what) const { throw FormulaError(f_, pos, what); }

  bool at_end() const { return i_ >= f_.size(); }

 private:
  static double total(const std::map<int, double>& m) {
    double s = 0;
    for (const auto& [z, a] : m) s += a;
    return s;
  }

  void skip_space() {
    while (!at_end() && std::isspace(static_cast<unsigned char>(f_[i_]))) ++i_;
  }

  double number_or(double fallback) {
    const size_t start = i_;
    while (!at_end() && (std::isdigit(static_cast<unsigned char>(f_[i_])) || f_[i_] == '.')) ++i_;
    if (i_ == start) return fallback;
    const std::string text = f_.substr(start, i_ - start);
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (end != text.c_str() + text.size() || !std::isfinite(v)) fail(start, "bad number '" + text + "'");
    return v;
  }

  const std::string& f_;
  size_t i_ = 0;
  int depth_ = 0;  // brackets open: the recursion is bounded by kMaxFormulaDepth
};

}  // namespace

int atomic_number(const std::string& symbol) {
  for (int z = 1; z <= kMaxZ; ++z)
    if (symbol == kSymbols[z]) return z;
  return 0;
}

std::string element_symbol(int z) { return z >= 1 && z <= kMaxZ ? kSymbols[z] : ""; }

FormulaError::FormulaError(const std::string& formula, size_t position, const std::string& what)
    : InputError(caret_message(formula, position, what)), position_(position) {}

double Composition::fraction_of(int z) const {
  for (const auto& [e, f] : fractions)
    if (e == z) return f;
  return 0.0;
}

std::string Composition::to_string() const {
  std::string out;
  char buf[32];
  for (const auto& [z, f] : fractions) {
    std::snprintf(buf, sizeof(buf), "%.4g", f);
    out += element_symbol(z) + buf;
  }
  return out;
}

Composition parse_formula(const std::string& formula) {
  Parser p(formula);
  const auto amounts = p.sequence(0);
  double sum = 0;
  for (const auto& [z, a] : amounts) sum += a;
  if (amounts.empty()) p.fail(0, "no elements");
  if (!(sum > 0)) p.fail(0, "the amounts sum to zero");
  Composition c;
  for (const auto& [z, a] : amounts)
    if (a > 0) c.fractions.emplace_back(z, a / sum);
  return c;
}

}  // namespace alloyml::data
