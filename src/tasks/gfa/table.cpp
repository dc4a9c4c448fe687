#include "alloyml/tasks/gfa/table.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "alloyml/core/error.h"
#include "alloyml/core/text.h"
#include "alloyml/data/tabular.h"

namespace alloyml::tasks {

std::string find_column(const std::vector<std::string>& header, const std::vector<std::string>& keys) {
  for (const auto& key : keys)
    for (const auto& h : header) {
      std::string lower = h;
      std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
      if (lower.find(key) != std::string::npos) return h;
    }
  return "";
}

GfaTable read_gfa_table(const std::string& path, const std::string& formula_column, const std::string& target_column) {
  return read_gfa_table(read_csv(path), formula_column, target_column);
}

GfaTable read_gfa_table(const CsvTable& t, const std::string& formula_column, const std::string& target_column) {
  const std::string& path = t.path;
  GfaTable out;
  out.path = path;
  out.formula_column = formula_column.empty() || formula_column == "auto"
                           ? find_column(t.header, {"formula", "alloy", "composition"})
                           : formula_column;
  if (out.formula_column.empty())
    throw InputError(path + ": no formula column (a name with formula, alloy or composition); columns: " + join(t.header) +
                     "; name it with data.formula_column");
  const size_t fc = t.column(out.formula_column);
  out.target_column = target_column == "auto" ? find_column(t.header, {"dmax", "d_max"}) : target_column;
  const bool has_target = !out.target_column.empty();
  const size_t tc = has_target ? t.column(out.target_column) : 0;
  for (size_t r = 0; r < t.rows.size(); ++r) {
    GfaRow row;
    row.row = r + 1;
    row.line = t.line_numbers[r];
    row.formula = trim(t.rows[r][fc]);
    const std::string where = path + ": row " + std::to_string(row.row) + " (line " + std::to_string(row.line) + ")";
    try {
      row.composition = data::parse_formula(row.formula);
    } catch (const data::FormulaError& e) {
      out.skipped.push_back(where + ": " + e.what());
      continue;
    }
    row.target = NAN;
    if (has_target) {
      row.target = data::numeric_cell(t, r, tc);
      if (row.target < 0)
        throw InputError(where + ", column '" + out.target_column + "': a negative value (" + t.rows[r][tc] + ")");
    }
    out.rows.push_back(std::move(row));
  }
  return out;
}

}  // namespace alloyml::tasks
