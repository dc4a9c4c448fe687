#pragma once
// The surface every classifier offers, so tasks never special-case an architecture
// (timm's convention: forward_features, forward_head, reset_classifier).
#include <memory>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "alloyml/models/options.h"

namespace alloyml::models {

class ClassifierImpl : public torch::nn::Module {
 public:
  /// The pooled embedding (N x num_features): the trunk's globally pooled output (VGG and
  /// AlexNet: their adaptive pool, flattened), with no dropout, so it is the same in training and
  /// evaluation for the same batch statistics. Distillation compares these.
  virtual torch::Tensor forward_features(const torch::Tensor& x) = 0;
  /// Logits (N x num_classes) from the embedding: what torchvision and timm call the classifier
  /// or head, with all its dropout (model.dropout).
  virtual torch::Tensor forward_head(const torch::Tensor& features) = 0;
  /// Replaces the classifier with a freshly initialised one for `num_classes` outputs.
  virtual void reset_classifier(int64_t num_classes) = 0;
  virtual int64_t num_features() const = 0;
  virtual int64_t num_classes() const = 0;
  /// Name prefixes of the classifier's parameters ("fc."), re-initialised by the weight import
  /// when the class count differs.
  virtual std::vector<std::string> classifier_prefixes() const = 0;
  /// The first convolution's weight ("conv1.weight"), adapted by the import for 1-channel input.
  virtual std::string stem_weight_name() const = 0;

  /// Switches to evaluation and applies inference-only rewrites (batch-norm folding, channels-last
  /// or oneDNN-packed weights). Afterwards the model must not be trained or saved; calling it
  /// again (say, for another precision) re-packs from the folded weights.
  virtual void prepare_for_inference(const InferenceOptions& /*options*/) { eval(); }

  /// Logits. forward_head(forward_features(x)) except where the head reads the unpooled map.
  virtual torch::Tensor forward(const torch::Tensor& x) { return forward_head(forward_features(x)); }

  struct Outputs {
    torch::Tensor features, logits;
  };
  /// forward_features(x) and forward(x) from one pass through the trunk.
  virtual Outputs forward_both(const torch::Tensor& x) {
    auto f = forward_features(x);
    return {f, forward_head(f)};
  }
  /// True where forward(x) is not forward_head(forward_features(x)): SqueezeNet's convolutional
  /// head classifies every position of the map before pooling.
  virtual bool head_reads_feature_map() const { return false; }

  /// Layers whose feature maps explain a prediction (Grad-CAM), the default first; empty: none.
  virtual std::vector<std::string> feature_map_layers() const { return {}; }
  /// From the next forward on, keeps the output of `layer` (one of feature_map_layers(); empty:
  /// stop keeping) for watched_feature_map(). It stays in the autograd graph.
  void watch_feature_map(const std::string& layer) {
    watched_layer_ = layer;
    watched_map_ = torch::Tensor();
  }
  const torch::Tensor& watched_feature_map() const { return watched_map_; }

 protected:
  /// Called by a model's forward with each layer's output that feature_map_layers() names.
  void offer_feature_map(const char* layer, const torch::Tensor& map) {
    if (!watched_layer_.empty() && watched_layer_ == layer) watched_map_ = map;
  }

 private:
  std::string watched_layer_;
  torch::Tensor watched_map_;
};

using Classifier = std::shared_ptr<ClassifierImpl>;

}  // namespace alloyml::models
