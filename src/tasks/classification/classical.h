#pragma once
// The classical baselines behind the same commands as the CNNs: task "classification" with
// model.name FEATURES_CLASSIFIER trains hand-crafted texture features and a feature classifier
// (hyper-parameters chosen on the validation split) into a run directory that eval and predict
// read. glcm_svm is Luo et al.'s baseline; gabor_svm, gabor_knn, lbp_svm and hog_svm are those of
// Huang et al. 2023, Fig. 17.
#include <memory>
#include <string>
#include <vector>

#include "alloyml/core/thread_pool.h"
#include "alloyml/data/options.h"
#include "alloyml/data/split.h"
#include "classification_pipeline.h"

namespace alloyml::tasks {

/// A classical model: its feature kind (classical::texture_feature_kinds) and classifier (svm, knn).
struct ClassicalModel {
  std::string features, classifier, description;
  std::string name() const { return features + "_" + classifier; }
};

/// glcm_svm, gabor_svm, gabor_knn, lbp_svm, hog_svm.
const std::vector<ClassicalModel>& classical_models();

class ClassicalPipeline : public ClassificationPipeline {
 public:
  explicit ClassicalPipeline(ClassicalModel model) : model_(std::move(model)) {}
  std::string model_name() const override { return model_.name(); }
  std::string list_models() const override;
  bool uses_torch() const override { return false; }
  std::string distribution(const config::Json&) const override { return ""; }  // on rank 0
  std::string compute_note() const override;
  void export_model(const Run& run, const std::string& out) const override;
  std::vector<CommandSpec> augment_commands() const override { return {}; }
  bool predicts_from_weight_files() const override { return false; }

 protected:
  int train_with(const ClassificationOptions& options, const TrainContext& context) const override;
  ImageInference inference(const ClassificationOptions& options, const Run& run, const CommonFlags& flags) const override;

 private:
  ClassicalModel model_;
};

/// One pipeline per classical model.

/// Features, hyper-parameter choice on the validation split, evaluation, run directory. Returns 0.
/// Grouped k-fold cross-validation of a classical model (cv.folds): each fold chooses its
/// hyper-parameters on a grouped share of its training images, then the final model on all.
int train_classical_cv(const ClassicalModel& model, const ClassificationOptions& options, const TrainContext& context,
                       ThreadPool& pool);

int train_classical(const ClassicalModel& model, const ClassificationOptions& options, const TrainContext& context,
                    const data::ImageSet& set, const data::Split& split, ThreadPool& pool);

/// Features of `kind` of `indices` (rows in that order); `ok[i]` is false for unreadable images.
cv::Mat texture_feature_matrix(const std::string& kind, const data::ImageSet& set, const std::vector<size_t>& indices,
                               const data::TransformOptions& transform, ThreadPool& pool, std::vector<char>& ok);

/// The classifier's file stem in a run's checkpoint folder (glcm_svm.yml for glcm_svm, as always).
std::string classical_model_stem(const RunPaths& paths, const ClassicalModel& model);

}  // namespace alloyml::tasks
