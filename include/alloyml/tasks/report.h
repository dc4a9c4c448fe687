#pragma once
// report.html of a run, PNGs beside it; opens offline. Classification: curves from metrics.jsonl,
// the confusion matrix, the per-class table. Springback regression: GA fitness and LM
// performance curves, the parity plot, test errors, the model comparison and the factor analysis.
#include <string>
#include <vector>

#include "alloyml/classical/optimize.h"

#include "alloyml/core/config.h"
#include "alloyml/eval/metrics.h"
#include "alloyml/tasks/run_dir.h"

namespace alloyml::tasks {

void write_classification_report(const RunPaths& paths, const config::Json& summary,
                                 const eval::ClassificationMetrics& metrics, const std::string& split_name);

struct ParityPoint {
  int split = 0;  ///< 0 train, 1 val, 2 test
  double truth = 0, predicted = 0;
};

struct SpringbackReportData {
  const config::Json* summary = nullptr;  ///< summary.json of the run
  std::vector<ParityPoint> parity;
  std::vector<classical::GaGeneration> ga;  ///< of the repeat used for prediction
  std::vector<classical::LmEpoch> lm;
};

void write_springback_report(const RunPaths& paths, const SpringbackReportData& data);

/// The comparison table (GA-BP, BP, linear regression) printed at the end of training.
std::string format_springback_table(const config::Json& summary, const std::string& title);

/// One fold of a cross-validated regression.
struct GfaFoldRow {
  int fold = 0;
  eval::RegressionMetrics metrics;
  double seconds = 0;
};

/// Glass-forming ability: the per-fold and mean +- std table, the parity plot (out-of-fold or
/// test), R^2 by fold and the final model's loss curve.
void write_gfa_report(const RunPaths& paths, const config::Json& summary, const std::vector<ParityPoint>& parity,
                      const std::vector<GfaFoldRow>& folds);
/// The same table as text, printed at the end of training.
std::string format_gfa_table(const config::Json& summary, const std::string& title);

}  // namespace alloyml::tasks
