#pragma once
// One generic ResNet for the whole family (ResNet, ResNeXt, SE-ResNet(X)t, multi-scale),
// with torchvision/timm parameter names. Variants are data (see resnet_variants.cpp).
#include <array>
#include <string>
#include <vector>

#include "alloyml/models/classifier.h"
#include "alloyml/models/options.h"
#include "alloyml/models/resnet_blocks.h"
#include "alloyml/nn/batch_norm.h"

namespace alloyml::models {

enum class Block { Basic, Bottleneck };

struct ResNetSpec {
  Block block = Block::Bottleneck;
  std::array<int64_t, 4> layers{3, 4, 6, 3};
  int64_t groups = 1;       ///< cardinality
  int64_t base_width = 64;  ///< width per group
  Gate gate = Gate::None;   ///< SE, shrinkage or SARSN unit in every block
  bool multiscale = false;  ///< Sheng 2024 multi-scale head instead of the plain fc
  bool dense_head = false;  ///< the family's default head is dense (model.head "auto")
};

/// A two-layer head, parameters "fc1" and "fc2". Sheng 2024 (multi-scale): FC-ReLU-dropout-FC
/// on the concatenated stages; Huang et al. 2023, Fig. 1b (dropout_first): dropout-FC-ReLU-FC.
struct DenseHeadImpl : torch::nn::Module {
  DenseHeadImpl(int64_t in_features, int64_t hidden, int64_t num_classes, double dropout, bool dropout_first);
  torch::Tensor forward(const torch::Tensor& x);
  torch::nn::Linear fc1{nullptr}, fc2{nullptr};
  torch::nn::Dropout drop{nullptr};
  bool dropout_first;
};
TORCH_MODULE(DenseHead);

class ResNetImpl : public ClassifierImpl {
 public:
  ResNetImpl(const ResNetSpec& spec, const ModelOptions& options);

  /// The outputs of layer1..layer4 (on the packed path only those the head reads; the others are
  /// undefined).
  std::vector<torch::Tensor> forward_stages(const torch::Tensor& x);
  torch::Tensor forward_features(const torch::Tensor& x) override;
  torch::Tensor forward_head(const torch::Tensor& features) override;
  void reset_classifier(int64_t num_classes) override;
  /// Folds every batch norm into its convolution, then either packs the convolutions for oneDNN
  /// (CPU, no SE blocks) or stores the weights channels-last when asked.
  void prepare_for_inference(const InferenceOptions& options) override;
  /// True when forward runs the oneDNN-packed path.
  bool packed() const { return packed_; }
  int64_t num_features() const override { return num_features_; }
  int64_t num_classes() const override { return num_classes_; }
  std::vector<std::string> classifier_prefixes() const override { return {dense_head_ ? "head." : "fc."}; }
  std::string stem_weight_name() const override { return "conv1.weight"; }
  std::vector<std::string> feature_map_layers() const override { return {"layer4", "layer3", "layer2", "layer1"}; }

  torch::nn::Conv2d conv1{nullptr};
  alloyml::nn::BatchNorm bn1{nullptr};
  torch::nn::Sequential layer1{nullptr}, layer2{nullptr}, layer3{nullptr}, layer4{nullptr};
  torch::nn::Linear fc{nullptr};
  DenseHead head{nullptr};

 private:
  torch::nn::Sequential make_layer(int64_t planes, int64_t blocks, int64_t stride);
  std::vector<torch::Tensor> forward_stages_packed(const torch::Tensor& x);

  ResNetSpec spec_;
  ModelOptions options_;
  bool folded_ = false;
  bool channels_last_ = false;
  bool packed_ = false;
  bool dense_head_ = false;
  torch::ScalarType packed_dtype_ = torch::kFloat32;
  PackedConv packed_stem_;
  int64_t inplanes_;
  int64_t num_features_ = 0;
  int64_t num_classes_ = 0;
  std::vector<int64_t> stage_channels_;
};
TORCH_MODULE(ResNet);

/// The ResNet-family variants by name (torchvision and timm naming).
const std::vector<std::pair<std::string, ResNetSpec>>& resnet_variants();

}  // namespace alloyml::models
