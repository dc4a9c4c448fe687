#pragma once
// Glass-forming ability: the critical casting diameter Dmax of a metallic glass regressed from
// its composition alone, after the slides "ResNet50-based glass-forming-ability prediction for
// amorphous alloys" (published as Wei et al., Physica B 713 (2025) 417352): the composition
// becomes an outer-product image (data/composition_image.h), a ResNet with one output regresses
// log(1 + Dmax), k-fold cross-validation scores it, and a final model on all rows serves eval,
// predict and the design of ternary systems. Torch-free: the network lives in tasks/regression.h.
#include <array>
#include <string>
#include <vector>

#include "alloyml/core/config.h"
#include "alloyml/core/csv.h"
#include "alloyml/data/composition.h"
#include "alloyml/data/composition_image.h"
#include "alloyml/tasks/commands.h"
#include "alloyml/tasks/run_dir.h"

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

config::Json encoding_to_json(const data::CompositionEncoding& e);
data::CompositionEncoding encoding_from_json(const config::Json& j, const std::string& source);

int train_gfa(const config::Json& cfg, const RunPaths& paths, bool resume, bool quiet, double t_start);
int eval_gfa(const Run& run, const EvalRequest& request);
int predict_gfa(const Run& run, const PredictRequest& request);
/// The checkpoint of the run's one network, for `alloyml-predict --export` (e.g. to start
/// another run from it with model.pretrained). An ensemble of more than one network is refused.
std::string gfa_network_checkpoint(const Run& run);


}  // namespace alloyml::tasks
