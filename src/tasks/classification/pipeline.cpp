#include "classification_pipeline.h"

#include "alloyml/core/error.h"
#include "alloyml/models/options.h"
#include "alloyml/tasks/classification/options.h"
#include "alloyml/tasks/config.h"
#include "alloyml/train/export.h"

namespace alloyml::tasks {

const config::Schema& ClassificationPipeline::schema() const { return classification_schema(); }

void ClassificationPipeline::check(const config::Json& resolved, const std::string& source) const {
  check_classification_config(resolved, source);
}

std::string ClassificationPipeline::list_models() const {
  std::string out;
  for (const auto& n : models::model_names()) out += n + "  " + models::model_description(n) + "\n";
  return out;
}

ClassificationOptions ClassificationPipeline::options(const config::Json& resolved) const {
  return classification_options(resolved);
}

int ClassificationPipeline::train_with(const ClassificationOptions& o, const TrainContext& context) const {
  return train_classifier(o, context);
}

ImageInference ClassificationPipeline::inference(const ClassificationOptions& o, const Run& run,
                                                 const CommonFlags& flags) const {
  return cnn_inference(o, run, flags);
}

ImageInference ClassificationPipeline::inference_for(const Run& run, const CommonFlags& flags) const {
  return inference(run_options(run), run, flags);
}

int ClassificationPipeline::eval_with(const ClassificationOptions& o, const Run& run, const EvalRequest& request) const {
  ImageInference inf = inference(o, run, request.common);
  if (!request.ensemble.empty()) add_ensemble_members(inf, run, request.ensemble, request.common);
  return eval_images(run, request, inf);
}

int ClassificationPipeline::predict_with(const ClassificationOptions& o, const Run& run,
                                         const PredictRequest& request) const {
  ImageInference inf = inference(o, run, request.common);
  if (request.task_options.has("ensemble")) {
    if (request.task_options.has("cam")) throw InputError("--cam explains one network; leave out --ensemble to use it");
    add_ensemble_members(inf, run, request.task_options.list("ensemble"), request.common);
  }
  if (request.task_options.has("watch")) return watch_images(request, inf);
  return predict_images(request, inf);
}

void ClassificationPipeline::export_model(const Run& run, const std::string& out) const {
  train::export_pth(model_options(run), run.checkpoint(), out);
  print_exported(out, run.model["arch"].get<std::string>());
}

std::vector<OptionSpec> ClassificationPipeline::predict_options() const {
  return {OptionSpec("--topk,-k", "ranked labels per image").integer(1).range(1, 1000),
          OptionSpec("--logits", "write JSONL with the raw logits (with --ensemble: log of the averaged probabilities)").flag(),
          OptionSpec("--ensemble", "another run of the same classes (repeatable): the class probabilities of all are averaged")
              .existing_directory().repeatable().run_only(),
          OptionSpec("--cam", "write a Grad-CAM overlay of the predicted class per image into DIR (Selvaraju et al. 2017)").text(),
          OptionSpec("--watch", "classify each image as it is written into DIR, appending rows to --output, until Ctrl-C").text().run_only(),
          OptionSpec("--batch-timeout", "--watch: wait up to MS after an image for others to classify with it").integer(0).range(0, 60000),
          OptionSpec("--poll", "--watch: look at the folder every 100 ms instead of using inotify").flag(),
          OptionSpec("--resume", "continue the --output file of a stopped predict: images already in it are skipped").flag(),
          OptionSpec("--um-per-px", "micrometres per pixel of every --input image, for a run trained at a physical "
                                    "scale (input.um_per_px); a CSV --input may carry its own column instead")
              .number(0).range(1e-6, 1e6),
          OptionSpec("--quantify", "add each image's defect measures (regions, area ratio, K; Huang et al. 2023, Table 7)").flag(),
          OptionSpec("--cam-layer", "the layer Grad-CAM reads (default: the last stage; resnets: layer1..layer4)").text(),
          OptionSpec("--num-classes", "outputs of --weights").integer(1000).range(1, 100000).weights_only(),
          OptionSpec("--labels", "text file with one class name per line, for --weights").existing_file().weights_only()};
}

std::vector<CommandSpec> ClassificationPipeline::augment_commands() const { return classification_augment_commands(); }

int ClassificationPipeline::predict_from_weights(const PredictRequest& request) const {
  ImageInference inf = weight_file_inference(request);
  return predict_images(request, inf);
}

std::unique_ptr<Pipeline> make_classification_pipeline() { return std::make_unique<ClassificationPipeline>(); }

}  // namespace alloyml::tasks
