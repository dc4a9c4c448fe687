#pragma once
// Fitting the springback models (GA over the initial weights, Levenberg-Marquardt, after the
// straightening paper; BP and linear regression as baselines) and their metrics.
#include <string>
#include <vector>

#include "alloyml/classical/optimize.h"
#include "alloyml/core/config.h"
#include "alloyml/data/tabular.h"
#include "alloyml/eval/metrics.h"
#include "dataset.h"
#include "alloyml/tasks/springback/model.h"
#include "alloyml/tasks/springback/options.h"

namespace alloyml::tasks {

// One trained repeat of a network model, with what the report draws.
struct Repeat {
  std::vector<double> parameters;
  std::vector<classical::GaGeneration> ga;
  std::vector<classical::LmEpoch> lm;
  std::string stop_reason;
  double val_mse = 0;  ///< scaled, at the kept weights
  double fit_s = 0;
};

// What a fitted model of one kind brings to the summary and the report.
struct Fitted {
  SpringbackModel model;
  std::vector<Repeat> repeats;  ///< networks only
  double fit_s = 0;             ///< all repeats
};

/// Fits `arch` on the split; network repeats already in `state` (a resumed run) are kept, each new
/// one is saved there (atomically, at `state_path`) before the next starts.
Fitted fit_model(const std::string& arch, const Dataset& d, const data::MinMaxScaler& scaler, const SpringbackOptions& options,
                 config::Json& state, const std::string& state_path, bool quiet);

/// Metrics of `predicted` (one per sample) on the train, val, test and all rows.
config::Json split_metrics(const std::vector<double>& predicted, const Dataset& d);

/// Mean and standard deviation of each metric over the repeats' single networks.
config::Json repeat_statistics(const Fitted& f, const Dataset& d);

/// InputError for fewer training rows than a linear model's parameters; a warning for a network.
void check_rows(const std::string& arch, const Dataset& d, const SpringbackOptions& options, const std::string& source);

/// "GA-BP", "BP" or "linear regression".
const char* display_name(const std::string& arch);

}  // namespace alloyml::tasks
