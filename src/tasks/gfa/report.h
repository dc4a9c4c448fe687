#pragma once
// What a gfa run shows: the per-fold and mean +- std table (printed and in report.html), the
// parity plot (out-of-fold or test), R^2 by fold and the final model's loss curve.
#include <string>
#include <vector>

#include "alloyml/core/config.h"
#include "alloyml/eval/metrics.h"
#include "alloyml/run/report_page.h"
#include "alloyml/run/run_dir.h"

namespace alloyml::tasks {

/// One fold of a cross-validated regression.
struct GfaFoldRow {
  int fold = 0;
  eval::RegressionMetrics metrics;
  double seconds = 0;
};

void write_gfa_report(const run::RunPaths& paths, const config::Json& summary, const std::vector<run::ParityPoint>& parity,
                      const std::vector<GfaFoldRow>& folds);

/// The same table as text, printed at the end of training.
std::string format_gfa_table(const config::Json& summary, const std::string& title);

}  // namespace alloyml::tasks
