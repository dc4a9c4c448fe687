// The config of image classification: its schema and the checks across its keys.
#include "alloyml/tasks/classification/options.h"

#include "alloyml/core/error.h"
#include "alloyml/core/option_json.h"
#include "alloyml/data/options.h"
#include "alloyml/models/options.h"
#include "alloyml/tasks/config.h"
#include "alloyml/tasks/registry.h"
#include "alloyml/tasks/schema_parts.h"
#include "alloyml/train/options.h"

namespace alloyml::tasks {
namespace {

using config::f;
using config::Field;
using config::Json;
using config::nullable;
using config::one_of;
using config::ranged;
using config::Type;

config::Schema build_classification_schema() {
  const ClassificationOptions c;
  const data::DataOptions& d = c.data;
  const data::TransformOptions& in = d.transform;
  config::Schema s;
  add_common_keys(s);

  options::add_keys(s, "data.", d);
  add_split_keys(s, "validation share: fraction < 1 or count >= 1", "test share: fraction < 1 or count >= 1",
                 "seed of the split");
  Field by = f("data.split.by", Type::String, d.split.by,
               "random; number: per class by the last number in the file name, the highest numbers to test, "
               "the ones before to val (judge on later acquisitions); column:NAME: the same by a manifest column");
  by.check = [](const Json& v) -> std::string {
    const std::string b = v.get<std::string>();
    if (b == "random" || b == "number" || (b.rfind("column:", 0) == 0 && b.size() > 7)) return "";
    return "must be random, number or column:NAME, got '" + b + "'";
  };
  s.add(by);
  s.add(nullable(f("data.split.group_by", Type::String, nullptr,
                   "manifest column whose samples stay on one side of every split (tiles: source)")));
  options::add_keys(s, "input.", in, [](auto& v, auto& t) { data::visit_input_keys(v, t); });
  s.add(nullable(f("input.mean", Type::NumberList, nullptr, "per-channel mean; default ImageNet's")));
  s.add(ranged(nullable(f("input.std", Type::NumberList, nullptr, "per-channel std; default ImageNet's")), 1e-6, {}));

  options::add_keys(s, "augment.", in, [](auto& v, auto& t) { data::visit_augment_keys(v, t); });

  add_network_keys(s, c.model, c.transfer, c.optim, c.schedule, c.train,
                   pipelines().claimed_models(kDefaultTask),  // e.g. glcm_svm
                   {"val_accuracy", "val_loss", "val_macro_f1", "val_macro_gmean", "train_loss", "train_accuracy"});
  options::add_keys(s, "model.", c.model, [](auto& v, auto& m) { models::visit_classifier_keys(v, m); });
  options::add_keys(s, "loss.", c.loss);
  options::add_keys(s, "distill.", c.distill);
  options::add_keys(s, "cv.", c.cv);
  options::add_keys(s, "train.", c.train, [](auto& v, auto& t) { train::visit_image_train_keys(v, t); });
  return s;
}

}  // namespace

const config::Schema& classification_schema() {
  static const config::Schema schema = build_classification_schema();
  return schema;
}

void check_classification_config(const config::Json& resolved, const std::string& source) {
  check_network_keys(resolved, source);
  // Checks across keys.
  check_input_keys(resolved, source);
  const auto& loss = resolved["loss"];
  if (loss["name"] == "adaptive_gmean" && (loss["class_weights"] != "none" || loss["label_smoothing"] != 0.0))
    throw InputError(source + ": loss.name 'adaptive_gmean' sets its own class weights; leave loss.class_weights "
                              "'none' and loss.label_smoothing 0");
  if (loss["class_weights"] == "custom" && loss["class_weight_values"].empty())
    throw InputError(source + ": loss.class_weights is 'custom' but loss.class_weight_values is empty");
  if (resolved["augment"]["mosaic"].get<double>() + resolved["augment"]["fusion"].get<double>() > 1.0)
    throw InputError(source + ": augment.mosaic + augment.fusion is above 1 (each is the probability for one image)");
  if (resolved["data"]["root"].is_null() && resolved["data"]["train"].is_null())
    throw InputError(source + ": set data.root (one folder, split by data.split) or data.train");
  const int folds = resolved["cv"]["folds"].get<int>();
  if (folds == 1) throw InputError(source + ": key 'cv.folds' must be 0 (no cross-validation) or at least 2, got 1");
  if (folds > 0 && !resolved["data"]["train"].is_null())
    throw InputError(source + ": cv.folds cross-validates the images of data.root; data.train/val/test name the parts "
                              "themselves (drop one of the two)");
  if (folds > 0 && !resolved["distill"]["teacher"].is_null())
    throw InputError(source + ": cv.folds with distill.teacher: a teacher trained on some of the held-out images would "
                              "leak them into every fold (distil the final model instead)");
}

ClassificationOptions classification_options(const config::Json& c) {
  ClassificationOptions o;
  static_cast<CommonOptions&>(o) = common_options(c);
  o.data = data_options(c);
  o.model = model_options(c["model"]);
  o.transfer = transfer_options(c["transfer"]);
  o.optim = optim_options(c["optim"]);
  o.schedule = schedule_options(c["schedule"]);
  o.train = train_options(c["train"]);
  o.loss = loss_options(c["loss"]);
  o.distill = options::read_keys<DistillOptions>(c["distill"], "distill");
  o.cv = options::read_keys<ClassificationCvOptions>(c["cv"], "cv");
  return o;
}

data::DataOptions inference_data_options(const ClassificationOptions& o) {
  data::DataOptions d = o.data;
  d.transform.augment = data::AugmentOptions{};
  d.cache = false;  // one pass over the images: keeping them decoded would only hold memory
  return d;
}

}  // namespace alloyml::tasks
