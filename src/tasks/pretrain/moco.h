#pragma once
// MoCo v2 (He et al., CVPR 2020; Chen et al., arXiv:2003.04297) as a trainer task: a query
// encoder (a registry classifier's pooled embedding and a projection MLP) learnt by contrast with
// a momentum-updated key encoder and a queue of earlier keys; and the k-nearest-neighbour probe
// of its embedding (Wu et al., CVPR 2018). Torch-free header (the implementation hides LibTorch).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "alloyml/data/loader.h"
#include "alloyml/models/options.h"
#include "alloyml/tasks/pretrain/moco_options.h"
#include "alloyml/train/options.h"
#include "alloyml/train/task.h"

namespace alloyml::tasks {

struct MocoSetup {
  models::ModelOptions model;  ///< the backbone (in_channels from input.channels)
  MocoOptions moco;
  train::OptimOptions optim;
  std::string device = "cpu";
  std::string precision = "fp32";  ///< "bf16": autocast mixed precision
  std::uint64_t seed = 0;
};

/// The labelled images a probe classifies: an unaugmented loader over them, and each sample's
/// class and group (indices of the loader's set).
struct ProbeSet {
  data::ImageLoader* loader = nullptr;
  std::vector<std::int64_t> labels;
  std::vector<size_t> groups;  ///< empty: every image its own group
  std::vector<std::string> class_names;
  int k = 20;
  double temperature = 0.07;
};

struct ProbeResult {
  double accuracy = 0, macro_f1 = 0;
  std::vector<double> recall;  ///< per class
  size_t images = 0;
};

class PretrainTask {
 public:
  virtual ~PretrainTask() = default;
  /// What the trainer runs (run::run_training).
  virtual train::Task& task() = 0;
  /// k-NN classification of the probe's images by the query backbone's embedding, each image
  /// voted on by its `k` most similar images of other groups.
  virtual ProbeResult probe(const ProbeSet& set) = 0;
  /// The query backbone without its classifier head, with torchvision/timm names, as a .pth that
  /// model.pretrained loads (written atomically).
  virtual void write_backbone(const std::string& path) = 0;
  virtual std::int64_t embedding_width() const = 0;
  virtual std::int64_t backbone_parameters() const = 0;
};

/// The metrics.jsonl keys of a pretraining epoch: train_loss (InfoNCE), train_accuracy (the share
/// of queries whose own key is the most similar of all keys: instance discrimination), and on
/// probe epochs val_knn_accuracy and val_knn_macro_f1.
std::vector<std::string> pretrain_metric_keys();

/// The task over `views` (a training loader giving two views of each image, set_views(2)). With
/// `probe` (may be null), epochs whose number (1-based) is a multiple of `probe_every`, and the
/// last of `epochs`, end with the probe.
std::unique_ptr<PretrainTask> make_moco_task(const MocoSetup& setup, data::ImageLoader* views, const ProbeSet* probe,
                                             int probe_every, int epochs);

}  // namespace alloyml::tasks
