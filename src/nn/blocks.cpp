#include "alloyml/nn/blocks.h"

#include <algorithm>

namespace alloyml::nn {
namespace tnn = torch::nn;

namespace {
struct ActivationModuleImpl : tnn::Module {
  explicit ActivationModuleImpl(Activation a) : act(a) {}
  torch::Tensor forward(const torch::Tensor& x) { return activate(x, act); }
  Activation act;
};
TORCH_MODULE(ActivationModule);
}  // namespace

torch::Tensor activate(const torch::Tensor& x, Activation act) {
  switch (act) {
    case Activation::ReLU: return torch::relu(x);
    case Activation::ReLU6: return torch::hardtanh(x, 0.0, 6.0);
    case Activation::Hardswish: return torch::hardswish(x);
    case Activation::None: break;
  }
  return x;
}

ConvNormActImpl::ConvNormActImpl(int64_t in, int64_t out, int64_t k, int64_t stride, int64_t groups, Activation act,
                                 double eps, double momentum) {
  push_back(tnn::Conv2d(tnn::Conv2dOptions(in, out, k).stride(stride).padding((k - 1) / 2).groups(groups).bias(false)));
  push_back(BatchNorm(tnn::BatchNorm2dOptions(out).eps(eps).momentum(momentum)));
  if (act != Activation::None) push_back(ActivationModule(act));
}

BasicConv2dImpl::BasicConv2dImpl(int64_t in, int64_t out, std::array<int64_t, 2> kernel, std::array<int64_t, 2> padding,
                                 int64_t stride) {
  conv = register_module("conv", tnn::Conv2d(tnn::Conv2dOptions(in, out, {kernel[0], kernel[1]})
                                                 .stride(stride)
                                                 .padding({padding[0], padding[1]})
                                                 .bias(false)));
  bn = register_module("bn", BatchNorm(tnn::BatchNorm2dOptions(out).eps(0.001)));
}

void init_convs_and_norms(tnn::Module& module, const std::function<void(torch::Tensor&)>& conv_init) {
  torch::NoGradGuard g;
  for (auto& sub : module.modules(false)) {
    if (auto* c = sub->as<tnn::Conv2d>()) {
      conv_init(c->weight);
      if (c->bias.defined()) tnn::init::zeros_(c->bias);
    } else if (auto* b = sub->as<tnn::BatchNorm2d>()) {
      tnn::init::ones_(b->weight);
      tnn::init::zeros_(b->bias);
    }
  }
}

void trunc_normal(torch::Tensor& weight, double std) {
  torch::NoGradGuard g;
  weight.normal_(0, std).clamp_(-2, 2);
}

int64_t make_divisible(double value, int64_t divisor) {
  int64_t n = std::max<int64_t>(divisor, static_cast<int64_t>(value + divisor / 2.0) / divisor * divisor);
  if (n < 0.9 * value) n += divisor;
  return n;
}

}  // namespace alloyml::nn
