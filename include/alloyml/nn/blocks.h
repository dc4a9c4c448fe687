#pragma once
// Small pieces several CNN families share, named as torchvision and timm name them so their
// state dicts load 1:1: Conv2dNormActivation, Inception's BasicConv2d, index-named heads, and the
// initialisation and rounding helpers of the reference code. Torch units only.
#include <array>
#include <functional>

#include <torch/torch.h>

#include "alloyml/nn/batch_norm.h"

namespace alloyml::nn {

/// A module with one tensor in and out, so blocks of different types can sit in one list.
struct TensorModule : torch::nn::Module {
  virtual torch::Tensor forward(const torch::Tensor& x) = 0;
};

/// A module whose children are named by index like an nn.Sequential, but with gaps (the
/// parameter-free ReLU/Dropout entries are applied functionally), so one entry can be replaced.
struct IndexedHeadImpl : torch::nn::Module {};
TORCH_MODULE(IndexedHead);

/// An nn::Sequential that can sit inside another (LibTorch needs a non-template forward there).
struct StageImpl : torch::nn::SequentialImpl {
  using torch::nn::SequentialImpl::SequentialImpl;
  torch::Tensor forward(torch::Tensor x) { return torch::nn::SequentialImpl::forward(x); }
};
TORCH_MODULE(Stage);

enum class Activation { None, ReLU, ReLU6, Hardswish };
torch::Tensor activate(const torch::Tensor& x, Activation act);

/// torchvision's Conv2dNormActivation: .0 a convolution without bias (padding (k-1)/2), .1 a
/// batch norm, the activation at index 2 without parameters.
struct ConvNormActImpl : StageImpl {
  ConvNormActImpl(int64_t in, int64_t out, int64_t k, int64_t stride, int64_t groups, Activation act, double eps = 1e-5,
                  double momentum = 0.1);
};
TORCH_MODULE(ConvNormAct);

/// Inception's BasicConv2d (torchvision's GoogLeNet and Inception v3): "conv" without bias, "bn"
/// (eps 0.001), ReLU. Kernel, padding and stride as (height, width).
struct BasicConv2dImpl : torch::nn::Module {
  BasicConv2dImpl(int64_t in, int64_t out, std::array<int64_t, 2> kernel, std::array<int64_t, 2> padding = {0, 0},
                  int64_t stride = 1);
  /// A square kernel.
  BasicConv2dImpl(int64_t in, int64_t out, int64_t kernel, int64_t padding = 0, int64_t stride = 1)
      : BasicConv2dImpl(in, out, {kernel, kernel}, {padding, padding}, stride) {}
  torch::Tensor forward(const torch::Tensor& x) { return torch::relu(bn(conv(x))); }
  torch::nn::Conv2d conv{nullptr};
  BatchNorm bn{nullptr};
};
TORCH_MODULE(BasicConv2d);

/// Applies `conv_init` to every convolution's weight (zeroing its bias) and sets every batch
/// norm to weight 1, bias 0: the initialisation loop of torchvision's and timm's models.
void init_convs_and_norms(torch::nn::Module& module, const std::function<void(torch::Tensor&)>& conv_init);

/// torchvision's trunc_normal_(std, a=-2, b=2) as GoogLeNet and Inception use it: the bounds lie
/// far in the tails at their standard deviations, so a clamped normal draw.
void trunc_normal(torch::Tensor& weight, double std);

/// torchvision's _make_divisible and timm's make_divisible (round_limit 0.9): the same rule.
int64_t make_divisible(double value, int64_t divisor);

}  // namespace alloyml::nn
