#pragma once
// timm's GhostNet (Han et al. 2020), version 1.
#include <torch/torch.h>

#include "alloyml/models/classifier.h"
#include "alloyml/models/options.h"
#include "alloyml/nn/batch_norm.h"

namespace alloyml::models {

/// GhostNet at a width multiplier (ghostnet_050: 0.5, ghostnet_100: 1.0, ghostnet_130: 1.3). The
/// embedding is the pooled output of the blocks (960 channels at width 1.0); the head is timm's:
/// conv_head (1x1 to 1280), ReLU, dropout (default 0.2), classifier.
class GhostNetImpl : public ClassifierImpl {
 public:
  GhostNetImpl(const ModelOptions& options, double width);
  torch::Tensor forward_features(const torch::Tensor& x) override;
  torch::Tensor forward_head(const torch::Tensor& features) override;
  void reset_classifier(int64_t num_classes) override;
  int64_t num_features() const override { return num_features_; }
  int64_t num_classes() const override { return num_classes_; }
  std::vector<std::string> classifier_prefixes() const override { return {"classifier."}; }
  std::string stem_weight_name() const override { return "conv_stem.weight"; }
  std::vector<std::string> feature_map_layers() const override { return {"blocks"}; }

 private:
  torch::nn::Conv2d conv_stem_{nullptr}, conv_head_{nullptr};
  alloyml::nn::BatchNorm bn1_{nullptr};
  torch::nn::Sequential blocks_{nullptr};
  torch::nn::Linear classifier_{nullptr};
  int64_t num_features_ = 0, num_classes_ = 0;
  double dropout_;
};

}  // namespace alloyml::models
