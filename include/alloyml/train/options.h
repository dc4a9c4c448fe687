#pragma once
// Options of the training layer, filled from the config's "train", "optim", "schedule"
// and "loss" sections. Plain aggregates, no torch.
#include <cstdint>
#include <string>
#include <vector>

namespace alloyml::train {

struct OptimOptions {
  /// "adam", "adamw" or "sgd". Default "adam".
  std::string name = "adam";
  /// Base learning rate. Default 1e-3.
  double lr = 1e-3;
  /// L2 penalty (decoupled for adamw). Default 0.
  double weight_decay = 0.0;
  /// SGD momentum. Default 0.9.
  double momentum = 0.9;
  /// SGD Nesterov momentum. Default false.
  bool nesterov = false;
  /// Adam beta1. Default 0.9.
  double beta1 = 0.9;
  /// Adam beta2. Default 0.999.
  double beta2 = 0.999;
};

struct ScheduleOptions {
  /// "none", "step", "multistep", "cosine" or "linear_decay" (constant, then linear to zero). Default "none".
  std::string name = "none";
  /// step: epochs between decays. Default 30.
  int step_size = 30;
  /// step/multistep: decay factor. Default 0.1.
  double gamma = 0.1;
  /// multistep: epochs at which the rate is multiplied by gamma. Default empty.
  std::vector<int> milestones;
  /// Linear warm-up from 0 over this many epochs (per step). Default 0.
  double warmup_epochs = 0.0;
  /// cosine: the rate at the end, as a fraction of the base rate. Default 0.
  double min_lr_ratio = 0.0;
  /// linear_decay: epochs at the base rate before the linear decay to zero. Default 0.
  double constant_epochs = 0.0;
};

struct LossOptions {
  /// "cross_entropy" or "adaptive_gmean" (Huang et al. 2023, Eqs. 12-17: class weights from each
  /// epoch's training G-mean and accuracy, plus a squared-distance term). Default "cross_entropy".
  std::string name = "cross_entropy";
  /// adaptive_gmean: the sensitivity beta of the squared-distance term (Eq. 16). Default 1.
  double beta = 1.0;
  /// Label smoothing of the cross-entropy. Default 0.
  double label_smoothing = 0.0;
  /// "none", "balanced" (inverse class frequency, normalised) or "custom" (class_weight_values). Default "none".
  std::string class_weights = "none";
  /// Per-class weights when class_weights is "custom".
  std::vector<double> class_weight_values;
};

/// Knowledge distillation from a trained classifier (config section "distill"): relational KD
/// (Park et al. 2019) on the pooled embeddings, optional Hinton soft targets, plus the labels' loss.
struct DistillOptions {
  /// The teacher's run directory (its model.json and best checkpoint); empty: no distillation.
  std::string teacher;
  /// Weight of the labels' loss (loss.name). Default 1.
  double ce_weight = 1.0;
  /// Weight of the RKD distance loss (Park et al.'s 25). Default 25.
  double distance_weight = 25.0;
  /// Weight of the RKD angle loss (Park et al.'s 50). Default 50.
  double angle_weight = 50.0;
  /// Weight of Hinton's soft-target loss; 0 leaves it out. Default 0.
  double kd_weight = 0.0;
  /// Temperature of the soft targets. Default 4.
  double temperature = 4.0;
};

/// Transfer learning from pretrained weights (config section "transfer").
struct TransferOptions {
  /// Train only the classifier for this many epochs, then everything. Default 0.
  int freeze_epochs = 0;
  /// Learning rate of the backbone relative to the classifier's. Default 1.
  double backbone_lr_mult = 1.0;
  /// Keep the backbone's batch-norm statistics as loaded (also while frozen). Default false.
  bool freeze_bn = false;
};

struct TrainOptions {
  /// Epochs to train. Default 10.
  int epochs = 10;
  /// Images per training step. Default 32.
  int batch_size = 32;
  /// Images per evaluation step; 0 takes batch_size. Default 0.
  int eval_batch_size = 0;
  /// Metric that picks best.pt and drives early stopping; "none": no best.pt, the last epoch is
  /// used. Default "val_accuracy".
  std::string monitor = "val_accuracy";
  /// "max" or "min" for the monitored metric. Default "max".
  std::string monitor_mode = "max";
  /// Stop after this many epochs without improvement; 0 never stops early. Default 0.
  int early_stopping_patience = 0;
  /// Seconds between log lines when output is not a terminal. Default 30.
  double log_interval_s = 30.0;
  /// Memory format of training: "on" (channels-last), "off" (NCHW) or "auto" (channels-last from
  /// 128 px inputs, where bench/ measured it faster on CPU). Default "auto".
  std::string channels_last = "auto";
  /// Distributed training: batch-norm statistics over every worker's images (PyTorch's
  /// SyncBatchNorm) instead of each worker's own. Default false.
  bool sync_bn = false;
};

/// Where and how the computation runs (config "runtime" section, overridden by the command line).
struct RuntimeOptions {
  /// "auto" (CUDA when present, else CPU), "cpu" or "cuda". Default "auto".
  std::string device = "auto";
  /// "auto", "fp32" or "bf16". Default "auto".
  std::string precision = "auto";
  /// Intra-op threads; 0 uses every core. Default 0.
  int threads = 0;
  /// Distributed jobs: seconds the rendezvous and each collective may wait for the other workers
  /// before the job stops with an error naming the missing one. Default 300.
  double dist_timeout_s = 300;
  /// Data-parallel training: all-reduce gradient buckets during the backward pass. Default true.
  bool dist_overlap = true;
};

/// What apply_runtime decided.
struct ResolvedRuntime {
  std::string device;     ///< "cpu" or "cuda"
  std::string precision;  ///< "fp32" or "bf16"
  std::string reason;     ///< why, for "auto"
  std::string warning;    ///< bf16 asked for on a CPU that only emulates it (logged once, in summary.json)
  int threads = 1;
};

/// Sets the thread count and picks the device and precision (implemented with torch).
ResolvedRuntime apply_runtime(const RuntimeOptions& options);

/// Learning-rate factor (times the base rate) at a fractional epoch `t` (epoch + step/steps).
double schedule_factor(const ScheduleOptions& options, int epochs, double t);

}  // namespace alloyml::train
