#pragma once
// Image classification: the trainer task and the inference model. This header is torch-free
// (the implementation hides LibTorch), so job code that reads configs never compiles torch.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "alloyml/data/loader.h"
#include "alloyml/models/options.h"
#include "alloyml/tasks/classification/distill_options.h"
#include "alloyml/train/options.h"
#include "alloyml/train/task.h"

namespace alloyml::tasks {

/// A frozen teacher for distillation: its model and checkpoint, and how its relations are taught.
struct TeacherSetup {
  models::ModelOptions model;
  std::string checkpoint;  ///< empty: no teacher
  DistillOptions distill;
};

struct ClassifierSetup {
  models::ModelOptions model;
  train::OptimOptions optim;
  train::LossOptions loss;
  train::TransferOptions transfer;
  std::vector<double> class_weights;  ///< resolved per-class loss weights; empty = none
  std::vector<std::string> class_names;     ///< for the per-class metrics
  std::vector<std::int64_t> train_counts;   ///< training images per class (the adaptive loss's K)
  TeacherSetup teacher;                     ///< distillation (checkpoint empty: none)
  std::string device = "cpu";
  std::uint64_t seed = 0;
  bool channels_last = false;  ///< train with NHWC activations and weights
  std::string precision = "fp32";  ///< "bf16": autocast mixed precision (fp32 master weights)
  bool sync_bn = false;  ///< distributed: batch-norm statistics over the job (train.sync_bn)
};

/// The classification task for the trainer: cross-entropy (or adaptive G-mean) steps on `train`,
/// metrics on `val`. With a teacher, the student also learns the teacher's relations (RKD, Park et
/// al. 2019) on the same augmented batch, and the epoch's metrics add each loss term and the
/// teacher's accuracy.
std::unique_ptr<train::Task> make_classification_task(const ClassifierSetup& setup, data::ImageLoader& train,
                                                      data::ImageLoader& val);

struct PredictionSet {
  std::vector<size_t> indices;              ///< sample indices, in loader order
  std::vector<std::int64_t> labels;         ///< true labels (-1 unlabelled)
  std::vector<std::vector<float>> logits;   ///< raw logits per sample
};

/// The metrics.jsonl key of a class's adaptive loss weight ("loss_weight_<class>").
std::string adaptive_weight_key(const std::string& class_name);

/// Softmax of one row of logits.
std::vector<double> softmax(const std::vector<float>& logits);

/// Index of the largest value.
std::int64_t argmax(const std::vector<float>& values);

/// A classifier restored from a checkpoint, for evaluation and prediction.
class ClassifierModel {
 public:
  /// Loads the "model" part of a checkpoint written by training.
  /// `channels_last`: NHWC inference (faster from about 128 px on CPU, see bench/).
  /// `explain`: keep the model as trained (no folding or packing), for grad_cam.
  static std::unique_ptr<ClassifierModel> load(const models::ModelOptions& options, const std::string& checkpoint,
                                               const std::string& device, bool channels_last, bool explain = false);
  /// Builds `options` and loads a .pth state dict into it (strict unless options.allow_partial).
  static std::unique_ptr<ClassifierModel> load_pth(const models::ModelOptions& options, const std::string& pth,
                                                   const std::string& device, bool channels_last, bool explain = false);
  ~ClassifierModel();

  /// "fp32" (default) or "bf16" (autocast; logits are returned as fp32 either way).
  void set_precision(const std::string& precision);
  /// Logits of every sample the loader yields (one epoch, no augmentation).
  PredictionSet predict(data::ImageLoader& loader, bool show_progress);

  /// Grad-CAM (Selvaraju et al., ICCV 2017, Eqs. 1-2) of class `targets[i]` for each image of
  /// `batch`: the feature map of `layer` (empty: the model's default, its last stage) weighted by
  /// the spatial mean of the class score's gradient, summed over channels, ReLU, bilinearly
  /// resized to the input and scaled min to max: one CV_32F map in [0, 1] per image. Needs a
  /// model loaded with `explain`; InputError when the model has no such layer.
  std::vector<cv::Mat> grad_cam(const data::Batch& batch, const std::vector<std::int64_t>& targets,
                                const std::string& layer);

  /// Parameter count, for logs and summaries.
  std::int64_t parameter_count() const;

 private:
  struct Impl;
  explicit ClassifierModel(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};


/// Parameter count of a freshly built model (no weights loaded).
std::int64_t count_parameters(const models::ModelOptions& options);

}  // namespace alloyml::tasks
