// Alloy formulas as gfa reads them ("(Zr50Cu50)90Al10"): refusals are FormulaErrors (InputErrors).
#include <cstdint>
#include <string>

#include "alloyml/core/error.h"
#include "alloyml/data/composition.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    const auto c = alloyml::data::parse_formula(std::string(reinterpret_cast<const char*>(data), size));
    (void)c.to_string();
  } catch (const alloyml::InputError&) {
  }
  return 0;
}
