#include "alloyml/tasks/glcm_svm/pipeline.h"

#include <opencv2/core.hpp>

#include "alloyml/classical/svm.h"
#include "alloyml/core/error.h"
#include "alloyml/tasks/classification/dataset.h"
#include "alloyml/tasks/config.h"

namespace alloyml::tasks {
namespace {

// Decision values of the run's SVMs on the GLCM features of the images, as logits.
class GlcmSvmScorer : public ImageScorer {
 public:
  GlcmSvmScorer(const Run& run, data::TransformOptions transform, size_t threads)
      : transform_(std::move(transform)), pool_(threads) {
    svm_.load(run.paths.checkpoints());
  }
  PredictionSet score(const data::ImageSet& set, const std::vector<size_t>& indices, bool) override {
  std::vector<char> ok;
  const cv::Mat x = glcm_feature_matrix(set, indices, transform_, pool_, ok);
  PredictionSet p;
  cv::Mat rows(0, x.cols, CV_32F);
  for (size_t k = 0; k < indices.size(); ++k)
    if (ok[k]) {
      rows.push_back(x.row(static_cast<int>(k)));
      p.indices.push_back(indices[k]);
      p.labels.push_back(set.samples[indices[k]].label);
    }
  if (rows.rows == 0) return p;
  const cv::Mat d = svm_.decision(rows);
  for (int i = 0; i < d.rows; ++i) p.logits.emplace_back(d.ptr<float>(i), d.ptr<float>(i) + d.cols);
  return p;
  }

 private:
  classical::SvmClassifier svm_;
  data::TransformOptions transform_;
  ThreadPool pool_;
};

}  // namespace

std::string GlcmSvmPipeline::list_models() const {
  return std::string(kGlcmSvm) + "  GLCM texture features + one-vs-rest RBF SVMs (Luo et al.'s classical baseline)\n";
}

int GlcmSvmPipeline::train_with(const ClassificationOptions& o, const TrainContext& ctx) const {
  const data::DataOptions& dopt = o.data;
  data::ImageSet set;
  data::Split split;
  load_or_build_dataset(dopt, ctx.paths.split(), ctx.paths.model(), ctx.resume, set, split);
  if (split.val.empty())
    throw InputError(ctx.source + ": there is no validation data (data.split.val is 0); the SVM's grid search needs it");
  ThreadPool pool(static_cast<size_t>(dopt.workers));
  return train_glcm_svm(o, ctx, set, split, pool);
}

void GlcmSvmPipeline::export_model(const Run& run, const std::string&) const {
  throw InputError("--export: " + run.paths.dir + " is a GLCM+SVM run; its SVMs stay in " + run.paths.checkpoints() +
                   " (no torch model to export)");
}

ImageInference GlcmSvmPipeline::inference(const ClassificationOptions& o, const Run& run, const CommonFlags&) const {
  ImageInference l;
  l.class_names = run_class_names(run);
  l.data = inference_data_options(o);
  l.scorer = std::make_unique<GlcmSvmScorer>(run, l.data.transform, static_cast<size_t>(std::max(1, l.data.workers)));
  return l;
}

std::unique_ptr<Pipeline> make_glcm_svm_pipeline() { return std::make_unique<GlcmSvmPipeline>(); }

}  // namespace alloyml::tasks
