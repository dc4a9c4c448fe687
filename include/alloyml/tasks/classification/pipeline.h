#pragma once
// Image classification (task "classification", the default): a CNN from the model registry
// trained by the trainer on an image folder or manifest; and the models that score images their
// own way (the GLCM+SVM baseline, task "classical"), with the same config, eval and predict.
#include <memory>
#include <vector>

#include "alloyml/tasks/pipeline.h"

namespace alloyml::tasks {

inline constexpr const char* kClassificationTask = "classification";

std::unique_ptr<Pipeline> make_classification_pipeline();

/// The pipelines of the classical (feature + classifier) models.
std::vector<std::unique_ptr<Pipeline>> make_classical_pipelines();

}  // namespace alloyml::tasks
