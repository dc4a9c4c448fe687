#pragma once
// Image regression with the ResNet family (one output): the trainer task over images held in
// memory, and the inference model. Torch-free header; used by the glass-forming-ability task.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "alloyml/models/options.h"
#include "alloyml/train/options.h"
#include "alloyml/train/task.h"

namespace alloyml::tasks {

/// Samples as images in memory: `images` holds n x c x h x w floats, channel-major per sample.
struct RegressionData {
  int c = 1, h = 1, w = 1;
  std::vector<float> images;
  std::vector<double> targets;  ///< in the training space (after the target transform)
  std::vector<double> raw;      ///< in the user's units (metrics are reported in these)
  std::vector<double> weights;  ///< per-sample loss weights (label-distribution smoothing); empty: all 1
  size_t size() const { return targets.size(); }
  size_t sample_floats() const { return static_cast<size_t>(c) * static_cast<size_t>(h) * static_cast<size_t>(w); }
};

struct RegressionSetup {
  models::ModelOptions model;  ///< num_classes 1
  train::OptimOptions optim;
  train::TransferOptions transfer;
  /// "mse", "l1" or "huber".
  std::string loss = "mse";
  double huber_delta = 1.0;
  /// "none" or "log1p": how `targets` derive from `raw`, inverted for the metrics.
  std::string target_transform = "none";
  /// The target is a non-negative quantity: predictions, validation included, are clipped at 0.
  bool non_negative_target = false;
  /// Mixup for regression (Zhang et al., ICLR 2018): inputs and targets of a batch mixed with a
  /// shuffled copy, lambda ~ Beta(alpha, alpha), applied to a batch with probability `mixup_prob`.
  /// alpha 0 turns it off.
  double mixup_alpha = 0.0;
  double mixup_prob = 1.0;
  int batch_size = 32;
  int eval_batch_size = 256;
  std::string device = "cpu";
  std::string precision = "fp32";
  std::uint64_t seed = 0;
};

/// The regression task for the trainer: weighted-loss steps over `train` (indices into `data`),
/// shuffled per epoch from the seed; val_rmse, val_mae, val_r2 (user units) and val_loss on `val`.
std::unique_ptr<train::Task> make_regression_task(const RegressionSetup& setup, const RegressionData& data,
                                                  std::vector<size_t> train, std::vector<size_t> val);

/// A regressor restored from a training checkpoint.
class RegressionModel {
 public:
  static std::unique_ptr<RegressionModel> load(const models::ModelOptions& options, const std::string& checkpoint,
                                               const std::string& device);
  ~RegressionModel();
  void set_precision(const std::string& precision);
  /// Outputs (in the training space) for `n` images of c x h x w floats.
  std::vector<double> predict(const float* images, size_t n, int c, int h, int w, int batch_size);
  std::int64_t parameter_count() const;

 private:
  struct Impl;
  explicit RegressionModel(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace alloyml::tasks
