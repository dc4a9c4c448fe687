#pragma once
// torchvision DenseNet121 (Huang et al. 2017); timm's names are the same.
#include <torch/torch.h>

#include "alloyml/models/classifier.h"
#include "alloyml/models/options.h"

namespace alloyml::models {

/// DenseNet121: growth 32, blocks 6-12-24-16, bottleneck 4. Dropout default none (torchvision's
/// drop_rate is inside the dense layers and 0).
class DenseNetImpl : public ClassifierImpl {
 public:
  explicit DenseNetImpl(const ModelOptions& options);
  torch::Tensor forward_features(const torch::Tensor& x) override;
  torch::Tensor forward_head(const torch::Tensor& features) override {
    return classifier_(torch::dropout(features, dropout_, is_training()));
  }
  void reset_classifier(int64_t num_classes) override;
  int64_t num_features() const override { return num_features_; }
  int64_t num_classes() const override { return num_classes_; }
  std::vector<std::string> classifier_prefixes() const override { return {"classifier."}; }
  std::string stem_weight_name() const override { return "features.conv0.weight"; }
  std::vector<std::string> feature_map_layers() const override { return {"features"}; }

 private:
  torch::nn::Sequential features_{nullptr};
  torch::nn::Linear classifier_{nullptr};
  int64_t num_features_ = 0, num_classes_ = 0;
  double dropout_;
};

}  // namespace alloyml::models
