#pragma once
// Pieces the train, eval and predict commands share.
#include <string>
#include <vector>

#include "alloyml/core/config.h"
#include "alloyml/data/loader.h"
#include "alloyml/eval/metrics.h"
#include "alloyml/models/options.h"
#include "alloyml/tasks/classification.h"
#include "alloyml/tasks/commands.h"
#include "alloyml/tasks/run_dir.h"

namespace alloyml::tasks {

/// Writes --device/--precision/--threads into the config's runtime section (flags win).
void apply_common_flags(config::Json& user_config, const CommonFlags& flags);

/// The runtime options for eval/predict: the run's config, then the flags.
train::RuntimeOptions runtime_for(const Run& run, const CommonFlags& flags);

/// model.json: arch, task, class names, input size, channels, normalisation, model options.
void write_model_json(const RunPaths& paths, const models::ModelOptions& model, const config::Json& cfg,
                      const std::vector<std::string>& class_names);

/// The data options a trained run applies at inference (its input section, no augmentation).
data::DataOptions inference_data_options(const Run& run);

/// Scores predictions (argmax of the logits) against their labels.
eval::ClassificationMetrics classification_metrics_of(const PredictionSet& predictions,
                                                      const std::vector<std::string>& class_names);

/// Predicts every sample of `loader` and scores against its labels.
eval::ClassificationMetrics evaluate_classifier(ClassifierModel& model, data::ImageLoader& loader,
                                                const std::vector<std::string>& class_names, bool show_progress);

}  // namespace alloyml::tasks
