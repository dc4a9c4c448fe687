#pragma once
// timm's Res2Net (Gao et al. 2021).
#include <array>

#include <torch/torch.h>

#include "alloyml/models/classifier.h"
#include "alloyml/models/options.h"
#include "alloyml/nn/batch_norm.h"

namespace alloyml::models {

/// ResNet with Bottle2neck blocks: the 3x3 convolution split into `scale` groups of
/// `base_width`-scaled channels that feed each other. res2net50_26w_4s is layers {3, 4, 6, 3},
/// base width 26, scale 4. Dropout default none (timm's drop_rate 0).
class Res2NetImpl : public ClassifierImpl {
 public:
  Res2NetImpl(const ModelOptions& options, std::array<int64_t, 4> layers, int64_t base_width, int64_t scale);
  torch::Tensor forward_features(const torch::Tensor& x) override;
  torch::Tensor forward_head(const torch::Tensor& features) override {
    return fc_(torch::dropout(features, dropout_, is_training()));
  }
  void reset_classifier(int64_t num_classes) override;
  int64_t num_features() const override { return 2048; }
  int64_t num_classes() const override { return num_classes_; }
  std::vector<std::string> classifier_prefixes() const override { return {"fc."}; }
  std::string stem_weight_name() const override { return "conv1.weight"; }
  std::vector<std::string> feature_map_layers() const override { return {"layer4", "layer3"}; }

 private:
  torch::nn::Conv2d conv1_{nullptr};
  alloyml::nn::BatchNorm bn1_{nullptr};
  std::vector<torch::nn::Sequential> layers_;
  torch::nn::Linear fc_{nullptr};
  int64_t num_classes_ = 0;
  double dropout_;
};

}  // namespace alloyml::models
