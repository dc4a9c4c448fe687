#pragma once
// torchvision SqueezeNet 1.1 (Iandola et al. 2016).
#include <torch/torch.h>

#include "alloyml/models/classifier.h"
#include "alloyml/models/options.h"

namespace alloyml::models {

/// SqueezeNet 1.1 with torchvision's names. Its head is convolutional (dropout, 1x1 convolution to
/// the classes, ReLU, global average pool) and classifies every position of the 512-channel map
/// before pooling, so forward() reads the map: forward_features is that map's average (the
/// embedding), and forward_head applies the head to the embedding as a 1x1 map, which is not the
/// logits (head_reads_feature_map). Dropout default 0.5.
class SqueezeNetImpl : public ClassifierImpl {
 public:
  explicit SqueezeNetImpl(const ModelOptions& options);
  torch::Tensor forward(const torch::Tensor& x) override { return forward_both(x).logits; }
  Outputs forward_both(const torch::Tensor& x) override;
  torch::Tensor forward_features(const torch::Tensor& x) override { return feature_map(x).mean({2, 3}); }
  torch::Tensor forward_head(const torch::Tensor& features) override;
  bool head_reads_feature_map() const override { return true; }
  void reset_classifier(int64_t num_classes) override;
  int64_t num_features() const override { return 512; }
  int64_t num_classes() const override { return num_classes_; }
  std::vector<std::string> classifier_prefixes() const override { return {"classifier.1."}; }
  std::string stem_weight_name() const override { return "features.0.weight"; }
  std::vector<std::string> feature_map_layers() const override { return {"features"}; }

 private:
  torch::Tensor feature_map(const torch::Tensor& x);
  /// The convolutional head on a map: dropout, final convolution, ReLU, global average pool.
  torch::Tensor classify_map(const torch::Tensor& map);
  torch::nn::Sequential features_{nullptr};
  torch::nn::Module* classifier_ = nullptr;
  torch::nn::Conv2d final_conv_{nullptr};
  double dropout_;
  int64_t num_classes_ = 0;
};

}  // namespace alloyml::models
