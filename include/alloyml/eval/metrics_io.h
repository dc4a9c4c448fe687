#pragma once
// Metrics in the evaluation JSON of DESIGN.md and as text tables for the terminal.
#include <string>

#include <nlohmann/json.hpp>

#include "alloyml/eval/metrics.h"

namespace alloyml::eval {

/// {accuracy, macro_precision, macro_recall, macro_f1, per_class: {name: {...}}, confusion_matrix, class_names, n}
nlohmann::ordered_json to_json(const ClassificationMetrics& m);

/// {rmse, mae, r2, r, n}
nlohmann::ordered_json to_json(const RegressionMetrics& m);

/// A per-class table with the macro averages and accuracy underneath.
std::string format_table(const ClassificationMetrics& m, const std::string& title);

}  // namespace alloyml::eval
