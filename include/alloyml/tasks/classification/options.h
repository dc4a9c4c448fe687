#pragma once
// The config of image classification (task "classification", the default) as typed options:
// the schema takes its defaults from these structs, and the pipeline receives them, not the JSON.
#include <cstdint>
#include <string>

#include "alloyml/core/config.h"
#include "alloyml/core/option_keys.h"
#include "alloyml/tasks/config.h"
#include "alloyml/data/options.h"
#include "alloyml/models/options.h"
#include "alloyml/tasks/classification/distill_options.h"
#include "alloyml/train/options.h"

namespace alloyml::tasks {

/// Grouped, stratified k-fold cross-validation of a recipe (config section "cv").
struct ClassificationCvOptions {
  /// Folds; 0: one model on data.split. Default 0.
  int folds = 0;
  /// The manifest column whose images stay in one fold (a specimen); empty: data.split.group_by.
  std::string group_by;
  /// After the folds, train the model eval and predict use on every image. Default true.
  bool final_model = true;
};

template <class V>
void visit_keys(V& v, ClassificationCvOptions& o) {
  using options::key;
  v(o.folds, key("folds", "grouped stratified k-fold cross-validation (then a final model); 0 = one model on "
                          "data.split")
                 .range(0, 100));
  v(o.group_by, key("group_by", "manifest column kept within one fold (a specimen); null: data.split.group_by")
                    .null_when_empty());
  v(o.final_model, key("final_model", "after the folds, train the model eval and predict use on every image"));
}

struct ClassificationOptions : CommonOptions {
  data::DataOptions data;  ///< sources, split, loader, and (in data.transform) input and augment
  models::ModelOptions model;
  train::TransferOptions transfer;
  train::OptimOptions optim;
  train::ScheduleOptions schedule;
  train::TrainOptions train;
  train::LossOptions loss;
  DistillOptions distill;  ///< a student trained from a teacher run (empty teacher: none)
  ClassificationCvOptions cv;
};

/// The typed options of a resolved config.
ClassificationOptions classification_options(const config::Json& resolved);

/// The data options a trained run applies at inference: its input section, no augmentation, no cache.
data::DataOptions inference_data_options(const ClassificationOptions& options);

/// Every key of an image-classification config, with its default and meaning.
const config::Schema& classification_schema();

/// Checks across keys of a resolved config; InputError naming `source`.
void check_classification_config(const config::Json& resolved, const std::string& source);

}  // namespace alloyml::tasks
