#pragma once
// Image classification's pipeline class (private to the task; include/alloyml/tasks/classification/
// pipeline.h is its public face): a CNN from the model registry
// trained by the trainer on an image folder or manifest. Models that score images their own way
// (the GLCM+SVM baseline) derive from this pipeline: same config, same eval and predict.
#include <memory>

#include "alloyml/models/options.h"
#include "infer.h"
#include "alloyml/tasks/classification/options.h"
#include "alloyml/tasks/classification/pipeline.h"
#include "alloyml/tasks/pipeline.h"

namespace alloyml::tasks {

class ClassificationPipeline : public TypedPipeline<ClassificationOptions> {
 public:
  std::string task() const override { return kClassificationTask; }
  // One network data-parallel; cross-validation's folds (and its final model) spread.
  std::string distribution(const config::Json& resolved) const override {
    return resolved["cv"]["folds"].get<int>() > 0 ? "spread" : "data";
  }
  std::string title() const override { return "Task \"classification\" (the default)"; }
  const config::Schema& schema() const override;
  void check(const config::Json& resolved, const std::string& source) const override;
  std::string list_models() const override;
  void export_model(const Run& run, const std::string& out) const override;
  std::vector<CommandSpec> augment_commands() const override;
  std::vector<OptionSpec> predict_options() const override;
  bool predicts_from_weight_files() const override { return true; }
  int predict_from_weights(const PredictRequest& request) const override;
  /// What scores a run's images (its own options resolved), for an ensemble member.
  ImageInference inference_for(const Run& run, const CommonFlags& flags) const;

 protected:
  ClassificationOptions options(const config::Json& resolved) const override;
  int train_with(const ClassificationOptions& options, const TrainContext& context) const override;
  int eval_with(const ClassificationOptions& options, const Run& run, const EvalRequest& request) const override;
  int predict_with(const ClassificationOptions& options, const Run& run, const PredictRequest& request) const override;
  /// What scores the run's images in eval and predict.
  virtual ImageInference inference(const ClassificationOptions& options, const Run& run, const CommonFlags& flags) const;
};

/// Trains a CNN classifier into the run directory of `context` (with cv.folds, by grouped k-fold
/// cross-validation, then a final model on every image: cv.cpp).
int train_classifier(const ClassificationOptions& options, const TrainContext& context);

/// Grouped, stratified k-fold cross-validation of the recipe (cv.folds > 0), then the final model.
int train_classifier_cv(const ClassificationOptions& options, const TrainContext& context);

/// The trainer's setup for `options` on `set` whose training images are `train_idx` (their class
/// counts give the balanced class weights and the adaptive loss's counts). InputError naming
/// `source` for a model.num_classes that does not fit the data, or an unfit teacher.
ClassifierSetup classifier_setup(const ClassificationOptions& options, const data::ImageSet& set,
                                 const std::vector<size_t>& train_idx, const train::ResolvedRuntime& runtime,
                                 const std::string& source);

/// model.json of an image classifier: arch, class names, input size, channels, normalisation, model options.
void write_model_json(const RunPaths& paths, const models::ModelOptions& model, const ClassificationOptions& options,
                      const std::vector<std::string>& class_names);

/// alloyml-augment preprocess, synth, mosaic, camera, quantify and tile.
std::vector<CommandSpec> classification_augment_commands();

/// alloyml-augment tile (tile.cpp).
CommandSpec tile_command();

}  // namespace alloyml::tasks
