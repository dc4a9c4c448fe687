#pragma once
// Evaluation and prediction with a trained gfa run.
#include <string>

#include "alloyml/run/run_dir.h"
#include "alloyml/tasks/commands.h"
#include "alloyml/tasks/gfa/options.h"

namespace alloyml::tasks {

/// The checkpoint of the run's one network, for `alloyml-predict --export` (e.g. to start
/// another run from it with model.pretrained). An ensemble of more than one network is refused.
std::string gfa_network_checkpoint(const run::Run& run);

/// Dmax on the run's split (or its out-of-fold predictions), or on a labelled table (--data).
int eval_gfa(const GfaOptions& options, const run::Run& run, const EvalRequest& request);

/// Dmax of the formulas of a CSV or of --formula, or of a ternary system on a grid (--system).
int predict_gfa(const GfaOptions& options, const run::Run& run, const PredictRequest& request);

}  // namespace alloyml::tasks
