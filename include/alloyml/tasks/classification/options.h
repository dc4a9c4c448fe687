#pragma once
// The config of image classification (task "classification", the default) as typed options:
// the schema takes its defaults from these structs, and the pipeline receives them, not the JSON.
#include <cstdint>
#include <string>

#include "alloyml/core/config.h"
#include "alloyml/tasks/config.h"
#include "alloyml/data/options.h"
#include "alloyml/models/options.h"
#include "alloyml/tasks/classification/distill_options.h"
#include "alloyml/train/options.h"

namespace alloyml::tasks {

struct ClassificationOptions : CommonOptions {
  data::DataOptions data;  ///< sources, split, loader, and (in data.transform) input and augment
  models::ModelOptions model;
  train::TransferOptions transfer;
  train::OptimOptions optim;
  train::ScheduleOptions schedule;
  train::TrainOptions train;
  train::LossOptions loss;
  DistillOptions distill;  ///< a student trained from a teacher run (empty teacher: none)
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
