#pragma once
// What a springback run shows: the comparison table (printed and in report.html), GA fitness and
// LM performance curves, the parity plot, test errors, and the factor analysis.
#include <string>
#include <vector>

#include "alloyml/classical/optimize.h"
#include "alloyml/core/config.h"
#include "alloyml/run/report_page.h"
#include "alloyml/run/run_dir.h"

namespace alloyml::tasks {

struct SpringbackReportData {
  const config::Json* summary = nullptr;  ///< summary.json of the run
  std::vector<run::ParityPoint> parity;
  std::vector<classical::GaGeneration> ga;  ///< of the repeat used for prediction
  std::vector<classical::LmEpoch> lm;
};

void write_springback_report(const run::RunPaths& paths, const SpringbackReportData& data);

/// The comparison table (GA-BP, BP, linear regression) printed at the end of training.
std::string format_springback_table(const config::Json& summary, const std::string& title);

}  // namespace alloyml::tasks
