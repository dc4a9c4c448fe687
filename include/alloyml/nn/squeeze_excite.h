#pragma once
// Squeeze-and-excitation (Hu et al. 2018), as SE-ResNeXt and the residual shrinkage networks use it.
#include <torch/torch.h>

namespace alloyml::nn {

/// Squeeze-and-excitation as timm's SEModule: mean-pool, 1x1 conv fc1 (with bias), ReLU,
/// 1x1 conv fc2, sigmoid gate. Reduced channels: channels/16 rounded to a multiple of 8.
struct SEModuleImpl : torch::nn::Module {
  explicit SEModuleImpl(int64_t channels);
  torch::Tensor forward(const torch::Tensor& x);
  torch::nn::Conv2d fc1{nullptr}, fc2{nullptr};
};
TORCH_MODULE(SEModule);

/// timm's make_divisible(v, divisor, round_limit=0) as SEModule uses it.
int64_t se_reduced_channels(int64_t channels);

}  // namespace alloyml::nn
