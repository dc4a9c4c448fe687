#pragma once
// The config of CycleGAN translation between two production lines' looks (task "cyclegan";
// Zhu et al., ICCV 2017, with the defaults of their public code; Huang et al. 2023, Section 2.2)
// as typed options: the schema takes its defaults from these structs.
#include <string>

#include "alloyml/core/config.h"
#include "alloyml/core/option_keys.h"
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

/// The CycleGAN task's own keys (dotted: section.key); model.generator and model.discriminator
/// get their choices from the model registry (cyclegan/options.cpp), the training sections from
/// tasks/schema_parts.h.
template <class V>
void visit_keys(V& v, CycleGanOptions& o) {
  using options::key;
  auto& t = o.data.transform;
  v(o.domain_a, key("data.domain_a", "images of domain A (folder or CSV manifest; labels unused)").null_when_empty());
  v(o.domain_b, key("data.domain_b", "images of domain B, unpaired with A").null_when_empty());
  v(o.data.workers, key("data.workers", "loader threads").range(1, 64));
  v(o.data.cache, key("data.cache", "keep decoded images in memory"));
  v(t.size, key("input.size", "side of the square images the networks see (px, a multiple of 4)").range(16, 4096));
  v(t.resize, key("input.resize", "0: resize to size; else the shorter side to this, then crop").range(0, 8192));
  v(t.channels, key("input.channels", "1 (grayscale) or 3 (RGB)").range(1, 3));
  v(t.augment.random_crop, key("augment.random_crop", "random instead of centre crop"));
  v(t.augment.hflip, key("augment.hflip", "horizontal flip probability").range(0, 1));
  v(t.augment.vflip, key("augment.vflip", "vertical flip probability").range(0, 1));
  v(t.augment.rotate90, key("augment.rotate90", "random multiples of 90 degrees"));
  v(o.generator, key("model.generator", "generator family"));
  v(o.discriminator, key("model.discriminator", "discriminator family"));
  v(o.g.ngf, key("model.ngf", "generator filters of the first layer").range(1, 1024));
  v(o.g.blocks, key("model.blocks", "generator residual blocks (9 for 256 px, 6 below)").range(0, 64));
  v(o.g.dropout, key("model.dropout", "dropout 0.5 in the generator's blocks"));
  v(o.g.norm, key("model.norm", "generator normalisation: instance, batch or none").one_of({"instance", "batch", "none"}));
  v(o.g.stem_norm,
    key("model.stem_norm", "normalise the generator's 7x7 stem (instance norm there hides a grey image's brightness)"));
  v(o.d.ndf, key("model.ndf", "discriminator filters of the first layer").range(1, 1024));
  v(o.d.layers, key("model.layers", "discriminator strided layers (3: the 70x70 PatchGAN)").range(1, 8));
  v(o.lambda_cycle, key("loss.cycle", "weight of each cycle-consistency loss (lambda)").range(0, 1000));
  v(o.lambda_identity, key("loss.identity", "identity loss weight, as a fraction of loss.cycle").range(0, 100));
  v(o.pool_size, key("train.pool_size", "generated images kept per discriminator (0: none)").range(0, 100000));
  v(o.grid_images, key("output.grid_images", "images per domain in each epoch's grid").range(0, 64));
}

/// The defaults of a CycleGAN config (the public code's train options).
CycleGanOptions cyclegan_defaults();

/// The typed options of a resolved config.
CycleGanOptions cyclegan_options(const config::Json& resolved);

/// Every key of a CycleGAN config, with its default and meaning.
const config::Schema& cyclegan_schema();

/// Checks across keys; InputError naming `source`.
void check_cyclegan_config(const config::Json& resolved, const std::string& source);

}  // namespace alloyml::tasks
