#include "alloyml/nn/shrinkage.h"

namespace alloyml::nn {

torch::Tensor soft_threshold(const torch::Tensor& x, const torch::Tensor& tau) {
  return torch::sign(x) * torch::relu(x.abs() - tau);
}

torch::Tensor directional_threshold(const torch::Tensor& x, const torch::Tensor& tau, const torch::Tensor& delta) {
  return delta * soft_threshold(x, tau);
}

ShrinkageImpl::ShrinkageImpl(int64_t channels) {
  fc1 = register_module("fc1", torch::nn::Linear(channels, channels));
  bn = register_module("bn", torch::nn::BatchNorm1d(channels));
  fc2 = register_module("fc2", torch::nn::Linear(channels, channels));
}

torch::Tensor ShrinkageImpl::threshold(const torch::Tensor& x) {
  const auto m = x.abs().mean({2, 3});  // N x C
  const auto alpha = torch::sigmoid(fc2(torch::relu(bn(fc1(m)))));
  return (alpha * m).unsqueeze(2).unsqueeze(3);
}

torch::Tensor ShrinkageImpl::forward(const torch::Tensor& x) { return soft_threshold(x, threshold(x)); }

DirectionalShrinkageImpl::DirectionalShrinkageImpl(int64_t channels) {
  delta = register_parameter("delta", torch::ones({channels}));
}

torch::Tensor DirectionalShrinkageImpl::threshold(const torch::Tensor& x) {
  // Eq. 11: the mean of the sigmoid over the positions times the channel's squeeze (of |x~|).
  return torch::sigmoid(x).mean({2, 3}, /*keepdim=*/true) * x.abs().mean({2, 3}, /*keepdim=*/true);
}

torch::Tensor DirectionalShrinkageImpl::forward(const torch::Tensor& x) {
  return directional_threshold(x, threshold(x), delta.view({1, -1, 1, 1}));
}

}  // namespace alloyml::nn
