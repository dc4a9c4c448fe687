#pragma once
// torchvision MobileNetV3 (Howard et al. 2019), large and small, width 1.0.
#include <torch/torch.h>

#include "alloyml/models/classifier.h"
#include "alloyml/models/options.h"

namespace alloyml::models {

/// MobileNetV3 "large" or "small". The embedding is the pooled last convolution (960 or 576
/// channels); the head is torchvision's classifier: linear to 1280 (1024), hard-swish, dropout
/// (default 0.2), linear to the classes.
class MobileNetV3Impl : public ClassifierImpl {
 public:
  MobileNetV3Impl(const ModelOptions& options, bool large);
  torch::Tensor forward_features(const torch::Tensor& x) override;
  torch::Tensor forward_head(const torch::Tensor& features) override;
  void reset_classifier(int64_t num_classes) override;
  int64_t num_features() const override { return num_features_; }
  int64_t num_classes() const override { return num_classes_; }
  std::vector<std::string> classifier_prefixes() const override { return {"classifier.3."}; }
  std::string stem_weight_name() const override { return "features.0.0.weight"; }
  std::vector<std::string> feature_map_layers() const override { return {"features"}; }

 private:
  torch::nn::Sequential features_{nullptr};
  torch::nn::Module* classifier_ = nullptr;
  torch::nn::Linear fc0_{nullptr}, head_{nullptr};
  int64_t num_features_ = 0, last_channel_ = 0, num_classes_ = 0;
  double dropout_;
};

}  // namespace alloyml::models
