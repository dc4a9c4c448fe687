#include "classical.h"

#include <opencv2/core.hpp>

#include "alloyml/classical/feature_classifier.h"
#include "alloyml/core/error.h"
#include "dataset.h"
#include "alloyml/tasks/config.h"

namespace alloyml::tasks {
namespace {

// Decision values of the run's classifier on the features of the images, as logits.
class ClassicalScorer : public ImageScorer {
 public:
  ClassicalScorer(const ClassicalModel& model, const Run& run, data::TransformOptions transform, size_t threads)
      : features_(model.features), classifier_(classical::make_feature_classifier(model.classifier)),
        transform_(std::move(transform)), pool_(threads) {
    classifier_->load(classical_model_stem(run.paths, model));
  }
  // Features are computed from the grey image at the run's size, decoded here (not from `decoded`,
  // which holds the images prepared for a CNN's input).
  PredictionSet score(const data::ImageSet& set, const std::vector<size_t>& indices, bool,
                      const std::shared_ptr<data::ImageCache>& /*decoded*/) override {
    std::vector<char> ok;
    const cv::Mat x = texture_feature_matrix(features_, set, indices, transform_, pool_, ok);
    PredictionSet p;
    cv::Mat rows(0, x.cols, CV_32F);
    for (size_t k = 0; k < indices.size(); ++k)
      if (ok[k]) {
        rows.push_back(x.row(static_cast<int>(k)));
        p.indices.push_back(indices[k]);
        p.labels.push_back(set.samples[indices[k]].label);
      }
    if (rows.rows == 0) return p;
    const cv::Mat d = classifier_->decision(rows);
    for (int i = 0; i < d.rows; ++i) p.logits.emplace_back(d.ptr<float>(i), d.ptr<float>(i) + d.cols);
    return p;
  }

 private:
  std::string features_;
  std::unique_ptr<classical::FeatureClassifier> classifier_;
  data::TransformOptions transform_;
  ThreadPool pool_;
};

}  // namespace

const std::vector<ClassicalModel>& classical_models() {
  static const std::vector<ClassicalModel> models{
      {"glcm", "svm", "GLCM texture features + one-vs-rest RBF SVMs (Luo et al.'s classical baseline)"},
      {"gabor", "svm", "Gabor filter bank (4 frequencies x 4 orientations) + RBF SVMs (Huang et al. 2023, Fig. 17)"},
      {"gabor", "knn", "Gabor filter bank + k nearest neighbours (Huang et al. 2023, Fig. 17)"},
      {"lbp", "svm", "uniform LBP histograms at 3 radii + RBF SVMs (Huang et al. 2023, Fig. 17)"},
      {"hog", "svm", "histograms of oriented gradients (16 px cells, 2x2 blocks) + RBF SVMs (Huang et al. 2023, Fig. 17)"},
  };
  return models;
}

std::string classical_model_stem(const RunPaths& paths, const ClassicalModel& model) {
  return paths.checkpoints() + "/" + model.name();
}

std::string ClassicalPipeline::list_models() const {
  return model_name() + "  " + model_.description + "\n";
}

std::string ClassicalPipeline::compute_note() const {
  return model_.features + " features and " + (model_.classifier == "svm" ? "RBF SVMs" : "k-NN") + " on the CPU";
}

int ClassicalPipeline::train_with(const ClassificationOptions& o, const TrainContext& ctx) const {
  if (o.cv.folds > 0) {
    ThreadPool pool(static_cast<size_t>(o.data.workers));
    return train_classical_cv(model_, o, ctx, pool);
  }
  const data::DataOptions& dopt = o.data;
  data::ImageSet set;
  data::Split split;
  load_or_build_dataset(dopt, ctx.paths.split(), ctx.paths.model(), ctx.resume, set, split);
  if (dopt.transform.um_per_px > 0) data::require_scales(set, "data.scale_column '" + dopt.scale_column + "'");
  if (split.val.empty())
    throw InputError(ctx.source + ": there is no validation data (data.split.val is 0); " + model_name() +
                     " chooses its hyper-parameters on it");
  ThreadPool pool(static_cast<size_t>(dopt.workers));
  return train_classical(model_, o, ctx, set, split, pool);
}

void ClassicalPipeline::export_model(const Run& run, const std::string&) const {
  throw InputError("--export: " + run.paths.dir + " is a " + model_name() + " run; its classifier stays in " +
                   run.paths.checkpoints() + " (no torch model to export)");
}

ImageInference ClassicalPipeline::inference(const ClassificationOptions& o, const Run& run, const CommonFlags&) const {
  ImageInference l;
  l.class_names = run_class_names(run);
  l.data = inference_data_options(o);
  l.scorer = std::make_unique<ClassicalScorer>(model_, run, l.data.transform, static_cast<size_t>(std::max(1, l.data.workers)));
  return l;
}

std::vector<std::unique_ptr<Pipeline>> make_classical_pipelines() {
  std::vector<std::unique_ptr<Pipeline>> out;
  for (const auto& m : classical_models()) out.push_back(std::make_unique<ClassicalPipeline>(m));
  return out;
}

}  // namespace alloyml::tasks
