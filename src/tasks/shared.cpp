#include "alloyml/tasks/shared.h"

#include "alloyml/tasks/config.h"

namespace alloyml::tasks {

void apply_common_flags(config::Json& user, const CommonFlags& flags) {
  if (!flags.device.empty()) user["runtime"]["device"] = flags.device;
  if (!flags.precision.empty()) user["runtime"]["precision"] = flags.precision;
  if (flags.threads >= 0) user["runtime"]["threads"] = flags.threads;
}

train::RuntimeOptions runtime_for(const Run& run, const CommonFlags& flags) {
  config::Json runtime = run.config.value("runtime", config::Json::object());
  config::Json wrapper{{"runtime", runtime}};
  apply_common_flags(wrapper, flags);
  train::RuntimeOptions o;
  o.device = wrapper["runtime"].value("device", std::string("auto"));
  o.precision = wrapper["runtime"].value("precision", std::string("auto"));
  o.threads = wrapper["runtime"].value("threads", 0);
  return o;
}

void write_model_json(const RunPaths& paths, const models::ModelOptions& model, const config::Json& cfg,
                      const std::vector<std::string>& class_names) {
  const auto t = transform_options(cfg["input"], cfg["augment"]);
  config::Json j;
  j["version"] = config::kVersion;
  j["task"] = cfg["task"];
  j["arch"] = model.name;
  j["class_names"] = class_names;
  j["input_size"] = t.size;
  j["resize"] = t.resize;
  j["channels"] = t.channels;
  j["normalization"] = {{"scaling", t.scaling}, {"mean", t.mean}, {"std", t.std}};
  j["model"] = to_json(model);
  config::write_json_file(paths.model(), j);
}

data::DataOptions inference_data_options(const Run& run) {
  data::DataOptions d = data_options(run.config);
  d.transform.augment = data::AugmentOptions{};
  d.cache = false;  // one pass over the images: keeping them decoded would only hold memory
  return d;
}

eval::ClassificationMetrics evaluate_classifier(ClassifierModel& model, data::ImageLoader& loader,
                                                const std::vector<std::string>& class_names, bool show_progress) {
  return classification_metrics_of(model.predict(loader, show_progress), class_names);
}

eval::ClassificationMetrics classification_metrics_of(const PredictionSet& p,
                                                      const std::vector<std::string>& class_names) {
  std::vector<std::int64_t> predicted;
  for (const auto& l : p.logits) predicted.push_back(argmax(l));
  return eval::classification_metrics(p.labels, predicted, class_names);
}

}  // namespace alloyml::tasks
