#pragma once
// Springback regression (task "springback"), after the straightening paper: bending-straightening
// of 304 stainless hexagonal shafts, a GA-optimised BP network predicting the saturated
// time-dependent springback, with its BP and linear baselines, the factor analysis and the dynamic
// straightness judgement. No torch: the networks are tiny and trained by Levenberg-Marquardt.
#include <memory>

#include "alloyml/tasks/pipeline.h"
#include "alloyml/tasks/springback/options.h"

namespace alloyml::tasks {

std::unique_ptr<Pipeline> make_springback_pipeline();

int train_springback(const SpringbackOptions& options, const TrainContext& context);
int eval_springback(const Run& run, const EvalRequest& request);
int predict_springback(const SpringbackOptions& options, const Run& run, const PredictRequest& request);

/// alloyml-augment springback and springback-saturation.
CommandSpec springback_synth_command();
CommandSpec springback_saturation_command();

}  // namespace alloyml::tasks
