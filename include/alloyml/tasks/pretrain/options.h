#pragma once
// The config of self-supervised pretraining (task "pretrain"): a backbone learnt from unlabelled
// images by momentum contrast, MoCo v2 (He et al., CVPR 2020; Chen, Fan, Girshick and He,
// arXiv:2003.04297, 2020), written as a .pth that model.pretrained of a classifier loads like an
// ImageNet file. The schema takes its defaults from these structs.
#include <string>
#include <vector>

#include "alloyml/core/config.h"
#include "alloyml/core/option_keys.h"
#include "alloyml/data/options.h"
#include "alloyml/models/options.h"
#include "alloyml/tasks/config.h"
#include "alloyml/tasks/pretrain/moco_options.h"
#include "alloyml/train/options.h"

namespace alloyml::tasks {

inline constexpr const char* kPretrainTask = "pretrain";

struct PretrainOptions : CommonOptions {
  /// Folders (searched recursively) and CSV manifests (first column: the path) of unlabelled
  /// images; their union is learnt from, labels never read.
  std::vector<std::string> sources;
  /// Loading and augmentation (data.workers, data.cache, data.scale_column, input.*, augment.*).
  data::DataOptions data;
  /// The backbone: any classifier of the registry (its head is left out of the written backbone).
  models::ModelOptions model;
  MocoOptions moco;
  ProbeOptions probe;
  train::OptimOptions optim;        ///< SGD 0.03, momentum 0.9, weight decay 1e-4 (MoCo v2)
  train::ScheduleOptions schedule;  ///< cosine (MoCo v2)
  train::TrainOptions train;        ///< 200 epochs of 64 images, monitor none
};

/// The defaults of a pretraining config (MoCo v2's recipe, scaled to a CPU).
PretrainOptions pretrain_defaults();

/// The typed options of a resolved config.
PretrainOptions pretrain_options(const config::Json& resolved);

/// Every key of a pretraining config, with its default and meaning.
const config::Schema& pretrain_schema();

/// Checks across keys; InputError naming `source`.
void check_pretrain_config(const config::Json& resolved, const std::string& source);

}  // namespace alloyml::tasks
