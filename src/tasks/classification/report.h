#pragma once
// report.html of a classification run: the training curves from metrics.jsonl, the confusion
// matrix and the per-class table of the split shown, then summary.json.
#include <string>

#include "alloyml/core/config.h"
#include "alloyml/eval/metrics.h"
#include "alloyml/run/run_dir.h"

namespace alloyml::tasks {

void write_classification_report(const run::RunPaths& paths, const config::Json& summary,
                                 const eval::ClassificationMetrics& metrics, const std::string& split_name);

}  // namespace alloyml::tasks
