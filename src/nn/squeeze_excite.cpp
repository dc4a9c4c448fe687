#include "alloyml/nn/squeeze_excite.h"

#include "alloyml/nn/conv.h"

namespace alloyml::nn {

int64_t se_reduced_channels(int64_t channels) {
  // timm: make_divisible(channels / 16, 8, round_limit=0.)
  const double v = channels / 16.0;
  const int64_t divisor = 8;
  return std::max<int64_t>(divisor, static_cast<int64_t>(v + divisor / 2.0) / divisor * divisor);
}

SEModuleImpl::SEModuleImpl(int64_t channels) {
  const int64_t rd = se_reduced_channels(channels);
  fc1 = register_module("fc1", conv(channels, rd, 1, 1, 1, true));
  fc2 = register_module("fc2", conv(rd, channels, 1, 1, 1, true));
}

torch::Tensor SEModuleImpl::forward(const torch::Tensor& x) {
  auto s = x.mean({2, 3}, /*keepdim=*/true);
  s = fc2(torch::relu(fc1(s)));
  return x * torch::sigmoid(s);
}

}  // namespace alloyml::nn
