#pragma once
// The config of CycleGAN translation between two production lines' looks (task "cyclegan";
// Zhu et al., ICCV 2017, with the defaults of their public code; Huang et al. 2023, Section 2.2)
// as typed options: the schema takes its defaults from these structs.
#include <string>

#include "alloyml/core/config.h"
#include "alloyml/data/options.h"
#include "alloyml/models/gan_options.h"
#include "alloyml/tasks/config.h"
#include "alloyml/train/options.h"

namespace alloyml::tasks {

inline constexpr const char* kCycleGanTask = "cyclegan";

struct CycleGanOptions : CommonOptions {
  /// The two unpaired image sources (a folder of images, class sub-folders, a flat NEU-style folder
  /// or a CSV manifest; labels are never read).
  std::string domain_a, domain_b;
  /// Loading and augmentation of both domains: data.workers and data.cache, input.size (256),
  /// input.resize (286: the shorter side, then a crop), input.channels (3), augment.random_crop
  /// (true) and augment.hflip (0.5), pixels scaled to [-1, 1] (the generators end in tanh).
  data::DataOptions data;
  /// Generator and discriminator families (model registry roles "generator" and "discriminator").
  std::string generator = "resnet_generator";
  std::string discriminator = "patchgan";
  models::GeneratorOptions g;      ///< model.ngf, model.blocks, model.dropout (channels from input.channels)
  models::DiscriminatorOptions d;  ///< model.ndf, model.layers
  /// Weight of each cycle-consistency loss (lambda_A = lambda_B). Default 10.
  double lambda_cycle = 10.0;
  /// Weight of the identity loss as a fraction of the cycle weight (0 leaves it out). Default 0.5.
  double lambda_identity = 0.5;
  /// Generated images kept per discriminator (0: none). Default 50.
  int pool_size = 50;
  /// Images of each domain in each epoch's grid (real / translated / reconstructed). Default 4.
  int grid_images = 4;
  train::OptimOptions optim;        ///< Adam 2e-4, betas (0.5, 0.999)
  train::ScheduleOptions schedule;  ///< linear_decay after 100 constant epochs
  train::TrainOptions train;        ///< 200 epochs of batch 1, monitor none
};

/// The defaults of a CycleGAN config (the public code's train options).
CycleGanOptions cyclegan_defaults();

/// The typed options of a resolved config.
CycleGanOptions cyclegan_options(const config::Json& resolved);

/// Every key of a CycleGAN config, with its default and meaning.
const config::Schema& cyclegan_schema();

/// Checks across keys; InputError naming `source`.
void check_cyclegan_config(const config::Json& resolved, const std::string& source);

}  // namespace alloyml::tasks
