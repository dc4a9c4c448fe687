#pragma once
// Options of the training layer, filled from the config's "train", "optim", "schedule", "loss",
// "distill", "transfer" and "runtime" sections. Plain aggregates, no torch. Each struct's
// visit_keys names its keys once (core/option_keys.h); defaults are the members' initial values.
#include <cstdint>
#include <string>
#include <vector>

#include "alloyml/core/option_keys.h"

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

template <class V>
void visit_keys(V& v, OptimOptions& o) {
  using options::key;
  v(o.name, key("name", "adam, adamw or sgd").one_of({"adam", "adamw", "sgd"}));
  v(o.lr, key("lr", "base learning rate").range(1e-12, 10));
  v(o.weight_decay, key("weight_decay", "weight decay").range(0, 1));
  v(o.momentum, key("momentum", "SGD momentum").range(0, 1));
  v(o.nesterov, key("nesterov", "SGD Nesterov momentum"));
  v(o.beta1, key("beta1", "Adam beta1").range(0, 0.999999));
  v(o.beta2, key("beta2", "Adam beta2").range(0, 0.999999));
}

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

template <class V>
void visit_keys(V& v, ScheduleOptions& o) {
  using options::key;
  v(o.name, key("name", "none, step, multistep, cosine or linear_decay (constant, then linearly to zero)")
                .one_of({"none", "step", "multistep", "cosine", "linear_decay"}));
  v(o.step_size, key("step_size", "step: epochs between decays").at_least(1));
  v(o.gamma, key("gamma", "step/multistep decay factor").range(0, 1));
  v(o.milestones, key("milestones", "multistep: decay epochs").at_least(0));
  v(o.warmup_epochs, key("warmup_epochs", "linear warm-up epochs").at_least(0));
  v(o.min_lr_ratio, key("min_lr_ratio", "cosine: final rate / base rate").range(0, 1));
  v(o.constant_epochs, key("constant_epochs", "linear_decay: epochs at the base rate before the decay").at_least(0));
}

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

template <class V>
void visit_keys(V& v, LossOptions& o) {
  using options::key;
  v(o.name, key("name", "cross_entropy, or adaptive_gmean (Huang et al. 2023: per-class weights from each epoch's "
                        "training G-mean)")
                .one_of({"cross_entropy", "adaptive_gmean"}));
  v(o.beta, key("beta", "adaptive_gmean: weight of the squared-distance term").range(0, 100));
  v(o.label_smoothing, key("label_smoothing", "cross-entropy label smoothing").range(0, 0.99));
  v(o.class_weights, key("class_weights", "none, balanced or custom").one_of({"none", "balanced", "custom"}));
  v(o.class_weight_values, key("class_weight_values", "custom: weight per class").at_least(0));
}

/// Transfer learning from pretrained weights (config section "transfer").
struct TransferOptions {
  /// Train only the classifier for this many epochs, then everything. Default 0.
  int freeze_epochs = 0;
  /// Learning rate of the backbone relative to the classifier's. Default 1.
  double backbone_lr_mult = 1.0;
  /// Keep the backbone's batch-norm statistics as loaded (also while frozen). Default false.
  bool freeze_bn = false;
};

template <class V>
void visit_keys(V& v, TransferOptions& o) {
  using options::key;
  v(o.freeze_epochs, key("freeze_epochs", "train only the classifier for this many epochs").at_least(0));
  v(o.backbone_lr_mult, key("backbone_lr_mult", "backbone learning rate / classifier's").range(0, 100));
  v(o.freeze_bn, key("freeze_bn", "keep the backbone's batch-norm statistics fixed"));
}

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
  /// "max" or "min" for the monitored metric, or "auto": the metric's declared goal (resolved by
  /// train_options; eval::monitor_mode). Default "auto".
  std::string monitor_mode = "auto";
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

/// The keys every trainer has; `channels_last` and `sync_bn` are declared by the image tasks
/// (visit_image_train_keys). train.monitor's choices and default are the task's (its metrics).
template <class V>
void visit_keys(V& v, TrainOptions& o) {
  using options::key;
  v(o.epochs, key("epochs", "epochs").range(1, 100000));
  v(o.batch_size, key("batch_size", "images per step").range(1, 65536));
  v(o.eval_batch_size, key("eval_batch_size", "images per evaluation step; 0 = batch_size").range(0, 65536));
  v(o.monitor, key("monitor", "metric for best.pt and early stopping"));
  v(o.monitor_mode, key("monitor_mode", "max, min or auto (the metric's declared goal, as listed under train.monitor)")
                        .one_of({"auto", "max", "min"}));
  v(o.early_stopping_patience, key("early_stopping_patience", "epochs without improvement; 0 = off").at_least(0));
  v(o.log_interval_s, key("log_interval_s", "seconds between log lines off a terminal").at_least(0.1));
}

/// train.channels_last and train.sync_bn, the image classifier's own.
template <class V>
void visit_image_train_keys(V& v, TrainOptions& o) {
  using options::key;
  v(o.channels_last, key("channels_last", "NHWC training: on, off or auto (from 128 px)").one_of({"auto", "on", "off"}));
  v(o.sync_bn, key("sync_bn", "distributed: batch-norm statistics over the whole job's batch (default: each worker's own)"));
}

/// Where and how the computation runs (config "runtime" section, overridden by the command line).
struct RuntimeOptions {
  /// "auto" (CUDA when present, else CPU), "cpu" or "cuda". Default "auto".
  std::string device = "auto";
  /// "auto", "fp32" or "bf16". Default "auto".
  std::string precision = "auto";
  /// Intra-op threads; 0: OMP_NUM_THREADS when set, else every core. Default 0.
  int threads = 0;
  /// Distributed jobs: seconds the rendezvous and each collective may wait for the other workers
  /// before the job stops with an error naming the missing one. Default 300.
  double dist_timeout_s = 300;
  /// Data-parallel training: all-reduce gradient buckets during the backward pass. Default true.
  bool dist_overlap = true;
};

template <class V>
void visit_keys(V& v, RuntimeOptions& o) {
  using options::key;
  v(o.device, key("device", "auto, cpu or cuda").one_of({"auto", "cpu", "cuda"}));
  v(o.precision, key("precision", "auto, fp32 or bf16").one_of({"auto", "fp32", "bf16"}));
  v(o.threads, key("threads", "threads; 0 = OMP_NUM_THREADS when set, else all cores").range(0, 1024));
  v(o.dist_timeout_s, key("dist_timeout_s", "distributed jobs: seconds to wait for the other workers before stopping "
                                            "with an error")
                          .at_least(1));
  v(o.dist_overlap, key("dist_overlap", "data-parallel training: all-reduce gradients during the backward pass (else "
                                        "after it)"));
}

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
