#pragma once
// Composition tables of the glass-forming-ability task: a formula column and, for training and
// evaluation, a Dmax column (found by name unless given).
#include <string>
#include <vector>

#include "alloyml/core/csv.h"
#include "alloyml/data/composition.h"

namespace alloyml::tasks {

/// One readable row of a composition table.
struct GfaRow {
  size_t row = 0;   ///< 1-based data row (header not counted)
  size_t line = 0;  ///< 1-based line in the file
  std::string formula;
  data::Composition composition;
  double target = 0;  ///< NaN when the table has no target column
};

struct GfaTable {
  std::string path, formula_column, target_column;  ///< target_column empty: none
  std::vector<GfaRow> rows;
  /// Rows whose formula could not be read: "FILE: row N (line L): <parser message>".
  std::vector<std::string> skipped;
};

/// The first column whose lower-cased name contains one of `keys`; "" when none does.
std::string find_column(const std::vector<std::string>& header, const std::vector<std::string>& keys);

/// Reads formulas (and targets when `target_column` is set, or found when it is "auto"). An
/// unreadable formula skips the row and records why; a bad or negative target is an InputError
/// naming the file, row, line and column; so is a missing column.
GfaTable read_gfa_table(const std::string& path, const std::string& formula_column, const std::string& target_column);
/// The same from a table already read.
GfaTable read_gfa_table(const CsvTable& table, const std::string& formula_column, const std::string& target_column);

}  // namespace alloyml::tasks
