#pragma once
// report.html for a classification run: curves from metrics.jsonl, the confusion matrix,
// the per-class table and the summary. PNGs beside it; opens offline.
#include <string>

#include "alloyml/core/config.h"
#include "alloyml/eval/metrics.h"
#include "alloyml/tasks/run_dir.h"

namespace alloyml::tasks {

void write_classification_report(const RunPaths& paths, const config::Json& summary,
                                 const eval::ClassificationMetrics& metrics, const std::string& split_name);

}  // namespace alloyml::tasks
