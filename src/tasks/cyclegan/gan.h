#pragma once
// CycleGAN (Zhu, Park, Isola and Efros, ICCV 2017): the trainer task of two generators, two
// discriminators, their two Adam optimisers and two image pools, and the translator that applies a
// trained generator. This header is torch-free (the implementation hides LibTorch).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "alloyml/data/loader.h"
#include "alloyml/models/gan_options.h"
#include "alloyml/train/options.h"
#include "alloyml/train/task.h"

namespace alloyml::tasks {

struct CycleGanSetup {
  std::string generator = "resnet_generator";
  std::string discriminator = "patchgan";
  models::GeneratorOptions g;
  models::DiscriminatorOptions d;
  double lambda_cycle = 10.0;     ///< lambda_A = lambda_B
  double lambda_identity = 0.5;   ///< a fraction of lambda_cycle
  int pool_size = 50;
  train::OptimOptions optim;
  std::string device = "cpu";
  std::uint64_t seed = 0;
  std::string precision = "fp32";  ///< "bf16": autocast mixed precision
  /// Each epoch's grid of real / translated / reconstructed images goes to
  /// `grid_dir`/epoch_NNN.png (empty: none).
  std::string grid_dir;
};

/// The metrics.jsonl keys of a CycleGAN epoch, in plotting order: the two generators' adversarial
/// losses, the two discriminators', the cycle and identity losses of each domain, and train_loss
/// (the generators' whole objective).
std::vector<std::string> cyclegan_metric_keys();

/// The CycleGAN task: each step one batch of each domain (A from `a`, B from `b`, unpaired; an
/// epoch is as many steps as the shorter loader has batches). `grid_a` and `grid_b` (unaugmented
/// images of each domain) are translated and reconstructed at each epoch's end into the grid.
std::unique_ptr<train::Task> make_cyclegan_task(const CycleGanSetup& setup, data::ImageLoader& a, data::ImageLoader& b,
                                                data::Batch grid_a, data::Batch grid_b);

/// A trained generator restored from a CycleGAN checkpoint: A->B ("g_ab") or B->A ("g_ba").
class Translator {
 public:
  Translator(const CycleGanSetup& setup, const std::string& checkpoint, bool a_to_b);
  ~Translator();
  Translator(const Translator&) = delete;
  Translator& operator=(const Translator&) = delete;
  /// The translated images of a batch (normalised to [-1, 1], as the loaders give it): 8-bit, one
  /// or three channels (RGB), at the batch's size.
  std::vector<cv::Mat> translate(const data::Batch& batch);
  std::int64_t parameter_count() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Parameters of one generator and one discriminator of `setup`.
std::int64_t generator_parameters(const CycleGanSetup& setup);
std::int64_t discriminator_parameters(const CycleGanSetup& setup);

}  // namespace alloyml::tasks
