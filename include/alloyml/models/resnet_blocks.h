#pragma once
// ResNet building blocks with torchvision/timm parameter names (conv1, bn1, ..., se.fc1,
// downsample.0/1), so stock state dicts map 1:1. Pieces other families share live in nn/.
#include <torch/torch.h>

#include "alloyml/nn/batch_norm.h"
#include "alloyml/nn/conv.h"
#include "alloyml/nn/shrinkage.h"
#include "alloyml/nn/squeeze_excite.h"

namespace alloyml::models {

using alloyml::nn::conv_forward;
using alloyml::nn::fold_batchnorm;
using alloyml::nn::fold_downsample;
using alloyml::nn::make_downsample;
using alloyml::nn::max_pool2d_nhwc;
using alloyml::nn::pack_downsample;
using alloyml::nn::PackedConv;
using alloyml::nn::se_reduced_channels;
using alloyml::nn::SEModule;
using alloyml::nn::shortcut;

using alloyml::nn::DirectionalShrinkage;
using alloyml::nn::Shrinkage;

/// What a block does to its residual branch after the last batch norm, before the add.
enum class Gate {
  None,
  SE,         ///< squeeze-and-excitation (Hu et al. 2018; timm placement)
  Shrinkage,  ///< residual shrinkage, soft threshold (Zhao et al. 2020, DRSN-CW): the "rsn" family
  Sarsn,      ///< SE, then the self-adaptive directional-derivative threshold (Huang et al. 2023)
};

struct BlockOptions {
  int64_t inplanes = 64;   ///< input channels
  int64_t planes = 64;     ///< stage width (output = planes * expansion)
  int64_t stride = 1;      ///< on conv1 (basic) or conv2 (bottleneck, ResNet v1.5)
  int64_t groups = 1;      ///< cardinality (ResNeXt)
  int64_t base_width = 64; ///< ResNeXt width per group
  Gate gate = Gate::None;  ///< on the residual branch after the last batch norm
};

struct BasicBlockImpl : torch::nn::Module {
  static constexpr int64_t kExpansion = 1;
  explicit BasicBlockImpl(const BlockOptions& o);
  torch::Tensor forward(const torch::Tensor& x);
  void fold_batchnorms();
  /// Packs the folded convolutions (conv1, conv2, downsample.0) for forward_packed.
  void pack(torch::ScalarType dtype);
  /// The block on a oneDNN tensor, with the packed convolutions. Gate::None only.
  torch::Tensor forward_packed(const torch::Tensor& x);
  bool folded = false;
  std::vector<PackedConv> packed;
  torch::nn::Conv2d conv1{nullptr}, conv2{nullptr};
  alloyml::nn::BatchNorm bn1{nullptr}, bn2{nullptr};
  SEModule se{nullptr};
  Shrinkage shrinkage{nullptr};
  DirectionalShrinkage saddt{nullptr};
  torch::nn::Sequential downsample{nullptr};
};
TORCH_MODULE(BasicBlock);

struct BottleneckImpl : torch::nn::Module {
  static constexpr int64_t kExpansion = 4;
  explicit BottleneckImpl(const BlockOptions& o);
  torch::Tensor forward(const torch::Tensor& x);
  void fold_batchnorms();
  /// Packs the folded convolutions (conv1..conv3, downsample.0) for forward_packed.
  void pack(torch::ScalarType dtype);
  /// The block on a oneDNN tensor, with the packed convolutions. Gate::None only.
  torch::Tensor forward_packed(const torch::Tensor& x);
  bool folded = false;
  std::vector<PackedConv> packed;
  torch::nn::Conv2d conv1{nullptr}, conv2{nullptr}, conv3{nullptr};
  alloyml::nn::BatchNorm bn1{nullptr}, bn2{nullptr}, bn3{nullptr};
  SEModule se{nullptr};
  Shrinkage shrinkage{nullptr};
  DirectionalShrinkage saddt{nullptr};
  torch::nn::Sequential downsample{nullptr};
};
TORCH_MODULE(Bottleneck);

}  // namespace alloyml::models
