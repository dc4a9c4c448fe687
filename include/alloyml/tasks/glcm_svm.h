#pragma once
// The GLCM + SVM baseline (Luo et al.) behind the same commands as the CNNs: alloyml-train with
// model.name "glcm_svm" writes a run directory that alloyml-eval and alloyml-predict read.
#include <string>

#include "alloyml/core/config.h"
#include "alloyml/core/thread_pool.h"
#include "alloyml/data/split.h"
#include "alloyml/tasks/classification.h"
#include "alloyml/tasks/run_dir.h"

namespace alloyml::tasks {

inline const char* kGlcmSvm = "glcm_svm";

/// Features, grid search on the validation split, evaluation, run directory. Returns 0.
int train_glcm_svm(const config::Json& cfg, const RunPaths& paths, const data::ImageSet& set, const data::Split& split,
                   ThreadPool& pool, double t_start);

/// Decision values (as logits) of every readable sample in `indices`, from a trained run.
PredictionSet predict_glcm_svm(const Run& run, const data::ImageSet& set, const std::vector<size_t>& indices,
                               ThreadPool& pool);

}  // namespace alloyml::tasks
