#pragma once
// The CNN baselines Luo et al. compare against (VGG19, AlexNet, MobileNetV2), with
// torchvision's parameter names (features.N, classifier.N) so stock weights load 1:1.
#include <torch/torch.h>

#include "alloyml/models/classifier.h"
#include "alloyml/models/options.h"
#include "alloyml/nn/blocks.h"

namespace alloyml::models {

/// What torchvision's plain CNNs share: `features`, then `classifier.N` layers whose last one is
/// the head (re-initialised by reset_classifier). The embedding is the pooled feature map; the
/// classifier's layers and dropout (model.dropout, default 0.5 for VGG and AlexNet, 0.2 for
/// MobileNetV2) are the head.
class TorchvisionCnnImpl : public ClassifierImpl {
 public:
  void reset_classifier(int64_t num_classes) override;
  int64_t num_features() const override { return num_features_; }
  int64_t num_classes() const override { return num_classes_; }
  std::vector<std::string> classifier_prefixes() const override { return {"classifier." + head_index_ + "."}; }
  std::string stem_weight_name() const override { return stem_weight_; }
  std::vector<std::string> feature_map_layers() const override { return {"features"}; }

 protected:
  /// features_ on `x`, offered as the "features" feature map.
  torch::Tensor feature_map(const torch::Tensor& x) {
    auto f = features_->forward(x);
    offer_feature_map("features", f);
    return f;
  }
  /// `head_in`: inputs of the last layer; `normal_init`: its weights N(0, 0.01) as VGG and
  /// MobileNetV2 (AlexNet keeps PyTorch's default).
  TorchvisionCnnImpl(std::string head_index, int64_t head_in, int64_t num_features, std::string stem_weight,
                     bool normal_init, double dropout);
  torch::nn::Sequential features_{nullptr};
  alloyml::nn::IndexedHead classifier_{nullptr};
  torch::nn::Linear head_{nullptr};
  double dropout_;

 private:
  std::string head_index_, stem_weight_;
  int64_t head_in_, num_features_;
  bool normal_init_;
  int64_t num_classes_ = 0;
};

/// torchvision VGG without batch norm: VGG16 (configuration D, depth 16) or VGG19 (E, depth 19).
class VGGImpl : public TorchvisionCnnImpl {
 public:
  VGGImpl(const ModelOptions& options, int depth);
  torch::Tensor forward_features(const torch::Tensor& x) override;
  torch::Tensor forward_head(const torch::Tensor& features) override;

 private:
  torch::nn::Linear fc0_{nullptr}, fc3_{nullptr};
};

/// torchvision AlexNet.
class AlexNetImpl : public TorchvisionCnnImpl {
 public:
  explicit AlexNetImpl(const ModelOptions& options);
  torch::Tensor forward_features(const torch::Tensor& x) override;
  torch::Tensor forward_head(const torch::Tensor& features) override;

 private:
  torch::nn::Linear fc1_{nullptr}, fc4_{nullptr};
};

/// torchvision MobileNetV2 (width 1.0).
class MobileNetV2Impl : public TorchvisionCnnImpl {
 public:
  explicit MobileNetV2Impl(const ModelOptions& options);
  torch::Tensor forward_features(const torch::Tensor& x) override;
  torch::Tensor forward_head(const torch::Tensor& features) override;
};

}  // namespace alloyml::models
