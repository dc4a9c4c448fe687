#pragma once
// The GLCM + SVM baseline (Luo et al.) behind the same commands as the CNNs: task
// "classification" with model.name "glcm_svm" trains GLCM texture features and one-vs-rest RBF
// SVMs (grid search on the validation split) into a run directory that eval and predict read.
#include <memory>
#include <string>

#include "alloyml/core/thread_pool.h"
#include "alloyml/data/options.h"
#include "alloyml/data/split.h"
#include "alloyml/tasks/classification/pipeline.h"

namespace alloyml::tasks {

inline constexpr const char* kGlcmSvm = "glcm_svm";

class GlcmSvmPipeline : public ClassificationPipeline {
 public:
  std::string model_name() const override { return kGlcmSvm; }
  std::string list_models() const override;
  bool uses_torch() const override { return false; }
  std::string compute_note() const override { return "GLCM features and RBF SVMs on the CPU"; }
  void export_model(const Run& run, const std::string& out) const override;
  std::vector<CommandSpec> augment_commands() const override { return {}; }
  bool predicts_from_weight_files() const override { return false; }

 protected:
  int train_with(const ClassificationOptions& options, const TrainContext& context) const override;
  ImageInference inference(const ClassificationOptions& options, const Run& run, const CommonFlags& flags) const override;
};

std::unique_ptr<Pipeline> make_glcm_svm_pipeline();

/// Features, grid search on the validation split, evaluation, run directory. Returns 0.
int train_glcm_svm(const ClassificationOptions& options, const TrainContext& context, const data::ImageSet& set,
                   const data::Split& split, ThreadPool& pool);

/// GLCM features of `indices` (rows in that order); `ok[i]` is false for unreadable images.
cv::Mat glcm_feature_matrix(const data::ImageSet& set, const std::vector<size_t>& indices,
                            const data::TransformOptions& transform, ThreadPool& pool, std::vector<char>& ok);

}  // namespace alloyml::tasks
