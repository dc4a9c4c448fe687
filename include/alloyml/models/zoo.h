#pragma once
// The standard networks of the papers' comparison tables (Sheng 2024, Table 1; Huang et al. 2023,
// Table 6), with torchvision's parameter names and layouts so that stock ImageNet .pth files load
// 1:1: SqueezeNet 1.1, DenseNet121, MobileNetV3 (large, small), GoogLeNet and Inception v3; and
// with timm's: Res2Net and GhostNet.
#include <array>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "alloyml/models/classifier.h"
#include "alloyml/models/options.h"
#include "alloyml/nn/batch_norm.h"

namespace alloyml::models {

/// A module with one tensor in and out, so blocks of different types can sit in one list.
struct TensorModule : torch::nn::Module {
  virtual torch::Tensor forward(const torch::Tensor& x) = 0;
};

/// torchvision SqueezeNet 1.1 (Iandola et al. 2016). Its head is convolutional (dropout, 1x1
/// convolution to the classes, ReLU, global average pool), so forward_features returns the
/// feature map (N x 512 x h x w) the head reads, not a pooled vector.
class SqueezeNetImpl : public ClassifierImpl {
 public:
  explicit SqueezeNetImpl(const ModelOptions& options);
  torch::Tensor forward_features(const torch::Tensor& x) override;
  torch::Tensor forward_head(const torch::Tensor& features) override;
  void reset_classifier(int64_t num_classes) override;
  int64_t num_features() const override { return 512; }
  int64_t num_classes() const override { return num_classes_; }
  std::vector<std::string> classifier_prefixes() const override { return {"classifier.1."}; }
  std::string stem_weight_name() const override { return "features.0.weight"; }
  std::vector<std::string> feature_map_layers() const override { return {"features"}; }

 private:
  torch::nn::Sequential features_{nullptr};
  torch::nn::Module* classifier_ = nullptr;
  torch::nn::Conv2d final_conv_{nullptr};
  double dropout_;
  int64_t num_classes_ = 0;
};

/// torchvision DenseNet121 (Huang et al. 2017): growth 32, blocks 6-12-24-16, bottleneck 4.
class DenseNetImpl : public ClassifierImpl {
 public:
  explicit DenseNetImpl(const ModelOptions& options);
  torch::Tensor forward_features(const torch::Tensor& x) override;
  torch::Tensor forward_head(const torch::Tensor& features) override { return classifier_(features); }
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

/// torchvision MobileNetV3 (Howard et al. 2019), "large" or "small", width 1.0.
class MobileNetV3Impl : public ClassifierImpl {
 public:
  MobileNetV3Impl(const ModelOptions& options, bool large);
  torch::Tensor forward_features(const torch::Tensor& x) override;
  torch::Tensor forward_head(const torch::Tensor& features) override { return head_(features); }
  void reset_classifier(int64_t num_classes) override;
  int64_t num_features() const override { return last_channel_; }
  int64_t num_classes() const override { return num_classes_; }
  std::vector<std::string> classifier_prefixes() const override { return {"classifier.3."}; }
  std::string stem_weight_name() const override { return "features.0.0.weight"; }
  std::vector<std::string> feature_map_layers() const override { return {"features"}; }

 private:
  torch::nn::Sequential features_{nullptr};
  torch::nn::Module* classifier_ = nullptr;
  torch::nn::Linear fc0_{nullptr}, head_{nullptr};
  int64_t last_channel_ = 0, num_classes_ = 0;
  double dropout_;
};

/// torchvision GoogLeNet (Szegedy et al. 2015) and Inception v3 (Szegedy et al. 2016; 299 px).
/// Their auxiliary classifiers are built (so torchvision's files, which hold them, load strictly)
/// but frozen and not used: training has no auxiliary loss. transform_input is off (our inputs are already
/// normalised as the run says).
class GoogLeNetImpl : public ClassifierImpl {
 public:
  GoogLeNetImpl(const ModelOptions& options, bool inception_v3);
  torch::Tensor forward_features(const torch::Tensor& x) override;
  torch::Tensor forward_head(const torch::Tensor& features) override { return fc_(features); }
  void reset_classifier(int64_t num_classes) override;
  int64_t num_features() const override { return num_features_; }
  int64_t num_classes() const override { return num_classes_; }
  std::vector<std::string> classifier_prefixes() const override;
  std::string stem_weight_name() const override;
  std::vector<std::string> feature_map_layers() const override { return {v3_ ? "Mixed_7c" : "inception5b"}; }

 private:
  struct Step {
    std::shared_ptr<TensorModule> module;  ///< null: a max-pool
    int pool_kernel = 3, pool_stride = 2;
    bool ceil = false;
  };
  std::vector<Step> steps_;
  /// The auxiliary heads' last layers, re-initialised with the main head: owner, child name, inputs.
  struct AuxHead {
    torch::nn::Module* owner;
    std::string child;
    int64_t in_features;
  };
  std::vector<AuxHead> aux_heads_;
  torch::nn::Linear fc_{nullptr};
  bool v3_;
  int64_t num_features_ = 0, num_classes_ = 0;
  double dropout_;
};

/// timm's Res2Net (Gao et al. 2021): ResNet with Bottle2neck blocks, the 3x3 convolution split
/// into `scale` groups of `base_width`-scaled channels that feed each other. res2net50_26w_4s is
/// layers {3, 4, 6, 3}, base width 26, scale 4.
class Res2NetImpl : public ClassifierImpl {
 public:
  Res2NetImpl(const ModelOptions& options, std::array<int64_t, 4> layers, int64_t base_width, int64_t scale);
  torch::Tensor forward_features(const torch::Tensor& x) override;
  torch::Tensor forward_head(const torch::Tensor& features) override { return fc_(features); }
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

/// timm's GhostNet (Han et al. 2020), version 1, at a width multiplier (ghostnet_050: 0.5,
/// ghostnet_100: 1.0, ghostnet_130: 1.3).
class GhostNetImpl : public ClassifierImpl {
 public:
  GhostNetImpl(const ModelOptions& options, double width);
  torch::Tensor forward_features(const torch::Tensor& x) override;
  torch::Tensor forward_head(const torch::Tensor& features) override { return classifier_(features); }
  void reset_classifier(int64_t num_classes) override;
  int64_t num_features() const override { return 1280; }
  int64_t num_classes() const override { return num_classes_; }
  std::vector<std::string> classifier_prefixes() const override { return {"classifier."}; }
  std::string stem_weight_name() const override { return "conv_stem.weight"; }
  std::vector<std::string> feature_map_layers() const override { return {"blocks"}; }

 private:
  torch::nn::Conv2d conv_stem_{nullptr}, conv_head_{nullptr};
  alloyml::nn::BatchNorm bn1_{nullptr};
  torch::nn::Sequential blocks_{nullptr};
  torch::nn::Linear classifier_{nullptr};
  int64_t num_classes_ = 0;
  double dropout_;
};

}  // namespace alloyml::models
