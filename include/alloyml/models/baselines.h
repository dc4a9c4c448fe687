#pragma once
// The CNN baselines Luo et al. compare against (VGG19, AlexNet, MobileNetV2), with
// torchvision's parameter names (features.N, classifier.N) so stock weights load 1:1.
#include <torch/torch.h>

#include "alloyml/models/classifier.h"
#include "alloyml/models/options.h"

namespace alloyml::models {

/// A module whose children are named by index like an nn.Sequential, but with gaps (the
/// parameter-free ReLU/Dropout entries are applied functionally), so one entry can be replaced.
struct IndexedHeadImpl : torch::nn::Module {};
TORCH_MODULE(IndexedHead);

/// torchvision VGG19 (configuration E, no batch norm).
class VGGImpl : public ClassifierImpl {
 public:
  explicit VGGImpl(const ModelOptions& options);
  torch::Tensor forward_features(const torch::Tensor& x) override;
  torch::Tensor forward_head(const torch::Tensor& features) override;
  void reset_classifier(int64_t num_classes) override;
  int64_t num_features() const override { return 4096; }
  int64_t num_classes() const override { return num_classes_; }
  std::vector<std::string> classifier_prefixes() const override { return {"classifier.6."}; }
  std::string stem_weight_name() const override { return "features.0.weight"; }

 private:
  torch::nn::Sequential features_{nullptr};
  IndexedHead classifier_{nullptr};
  torch::nn::Linear fc0_{nullptr}, fc3_{nullptr}, fc6_{nullptr};
  double dropout_;
  int64_t num_classes_ = 0;
};

/// torchvision AlexNet.
class AlexNetImpl : public ClassifierImpl {
 public:
  explicit AlexNetImpl(const ModelOptions& options);
  torch::Tensor forward_features(const torch::Tensor& x) override;
  torch::Tensor forward_head(const torch::Tensor& features) override;
  void reset_classifier(int64_t num_classes) override;
  int64_t num_features() const override { return 4096; }
  int64_t num_classes() const override { return num_classes_; }
  std::vector<std::string> classifier_prefixes() const override { return {"classifier.6."}; }
  std::string stem_weight_name() const override { return "features.0.weight"; }

 private:
  torch::nn::Sequential features_{nullptr};
  IndexedHead classifier_{nullptr};
  torch::nn::Linear fc1_{nullptr}, fc4_{nullptr}, fc6_{nullptr};
  double dropout_;
  int64_t num_classes_ = 0;
};

/// torchvision MobileNetV2 (width 1.0).
class MobileNetV2Impl : public ClassifierImpl {
 public:
  explicit MobileNetV2Impl(const ModelOptions& options);
  torch::Tensor forward_features(const torch::Tensor& x) override;
  torch::Tensor forward_head(const torch::Tensor& features) override;
  void reset_classifier(int64_t num_classes) override;
  int64_t num_features() const override { return 1280; }
  int64_t num_classes() const override { return num_classes_; }
  std::vector<std::string> classifier_prefixes() const override { return {"classifier.1."}; }
  std::string stem_weight_name() const override { return "features.0.0.weight"; }

 private:
  torch::nn::Sequential features_{nullptr};
  IndexedHead classifier_{nullptr};
  torch::nn::Linear fc_{nullptr};
  double dropout_;
  int64_t num_classes_ = 0;
};

}  // namespace alloyml::models
