#include "alloyml/models/squeezenet.h"

#include "alloyml/nn/blocks.h"

namespace alloyml::models {
namespace nn = torch::nn;

namespace {
struct FireImpl : nn::Module {
  FireImpl(int64_t in, int64_t squeeze_ch, int64_t e1, int64_t e3) {
    squeeze = register_module("squeeze", nn::Conv2d(nn::Conv2dOptions(in, squeeze_ch, 1)));
    expand1x1 = register_module("expand1x1", nn::Conv2d(nn::Conv2dOptions(squeeze_ch, e1, 1)));
    expand3x3 = register_module("expand3x3", nn::Conv2d(nn::Conv2dOptions(squeeze_ch, e3, 3).padding(1)));
  }
  torch::Tensor forward(torch::Tensor x) {
    x = torch::relu(squeeze(x));
    return torch::cat({torch::relu(expand1x1(x)), torch::relu(expand3x3(x))}, 1);
  }
  nn::Conv2d squeeze{nullptr}, expand1x1{nullptr}, expand3x3{nullptr};
};
TORCH_MODULE(Fire);
}  // namespace

SqueezeNetImpl::SqueezeNetImpl(const ModelOptions& o) : dropout_(o.dropout_or(0.5)) {
  const auto pool = [] { return nn::MaxPool2d(nn::MaxPool2dOptions(3).stride(2).ceil_mode(true)); };
  features_ = register_module(
      "features", nn::Sequential(nn::Conv2d(nn::Conv2dOptions(o.in_channels, 64, 3).stride(2)), nn::ReLU(), pool(),
                                 Fire(64, 16, 64, 64), Fire(128, 16, 64, 64), pool(), Fire(128, 32, 128, 128),
                                 Fire(256, 32, 128, 128), pool(), Fire(256, 48, 192, 192), Fire(384, 48, 192, 192),
                                 Fire(384, 64, 256, 256), Fire(512, 64, 256, 256)));
  classifier_ = register_module("classifier", alloyml::nn::IndexedHead()).get();
  // torchvision: kaiming_uniform_ for the convolutions, zero biases; N(0, 0.01) for the final one.
  torch::NoGradGuard g;
  for (auto& sub : features_->modules(false))
    if (auto* c = sub->as<nn::Conv2d>()) {
      nn::init::kaiming_uniform_(c->weight);
      nn::init::zeros_(c->bias);
    }
  reset_classifier(o.num_classes);
}

void SqueezeNetImpl::reset_classifier(int64_t num_classes) {
  num_classes_ = num_classes;
  nn::Conv2d c(nn::Conv2dOptions(512, num_classes, 1));
  {
    torch::NoGradGuard g;
    nn::init::normal_(c->weight, 0, 0.01);
    nn::init::zeros_(c->bias);
  }
  final_conv_ = final_conv_ ? classifier_->replace_module("1", c) : classifier_->register_module("1", c);
}

torch::Tensor SqueezeNetImpl::feature_map(const torch::Tensor& x) {
  auto f = features_->forward(x);
  offer_feature_map("features", f);
  return f;
}

torch::Tensor SqueezeNetImpl::classify_map(const torch::Tensor& map) {
  return torch::relu(final_conv_(torch::dropout(map, dropout_, is_training()))).mean({2, 3});
}

ClassifierImpl::Outputs SqueezeNetImpl::forward_both(const torch::Tensor& x) {
  const auto map = feature_map(x);
  return {map.mean({2, 3}), classify_map(map)};
}

torch::Tensor SqueezeNetImpl::forward_head(const torch::Tensor& features) {
  return classify_map(features.unsqueeze(-1).unsqueeze(-1));
}

}  // namespace alloyml::models
