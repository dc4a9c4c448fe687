#include "alloyml/models/mobilenet_v3.h"

#include "alloyml/nn/blocks.h"

namespace alloyml::models {
namespace nn = torch::nn;
using alloyml::nn::Activation;
using alloyml::nn::ConvNormAct;

namespace {
struct SqueezeExcitationImpl : nn::Module {  // torchvision's, with a hard-sigmoid gate
  SqueezeExcitationImpl(int64_t ch, int64_t squeeze) {
    fc1 = register_module("fc1", nn::Conv2d(nn::Conv2dOptions(ch, squeeze, 1)));
    fc2 = register_module("fc2", nn::Conv2d(nn::Conv2dOptions(squeeze, ch, 1)));
  }
  torch::Tensor forward(const torch::Tensor& x) { return x * torch::hardsigmoid(fc2(torch::relu(fc1(x.mean({2, 3}, true))))); }
  nn::Conv2d fc1{nullptr}, fc2{nullptr};
};
TORCH_MODULE(SqueezeExcitation);

struct V3BlockImpl : nn::Module {
  // (input, kernel, expanded, out, SE, hard-swish, stride), as torchvision's InvertedResidualConfig.
  V3BlockImpl(int64_t in, int64_t k, int64_t exp, int64_t out, bool se, bool hs, int64_t stride)
      : residual(stride == 1 && in == out) {
    const auto act = hs ? Activation::Hardswish : Activation::ReLU;
    block = register_module("block", nn::Sequential());
    if (exp != in) block->push_back(ConvNormAct(in, exp, 1, 1, 1, act, 0.001, 0.01));
    block->push_back(ConvNormAct(exp, exp, k, stride, exp, act, 0.001, 0.01));
    if (se) block->push_back(SqueezeExcitation(exp, alloyml::nn::make_divisible(static_cast<double>(exp / 4), 8)));
    block->push_back(ConvNormAct(exp, out, 1, 1, 1, Activation::None, 0.001, 0.01));
  }
  torch::Tensor forward(torch::Tensor x) { return residual ? x + block->forward(x) : block->forward(x); }
  nn::Sequential block{nullptr};
  bool residual;
};
TORCH_MODULE(V3Block);
}  // namespace

MobileNetV3Impl::MobileNetV3Impl(const ModelOptions& o, bool large) : dropout_(o.dropout_or(0.2)) {
  // Howard et al. 2019, Tables 1 and 2: (input, kernel, expanded, out, SE, hard-swish, stride).
  struct Cfg {
    int64_t in, k, exp, out;
    bool se, hs;
    int64_t stride;
  };
  static const std::vector<Cfg> large_cfg{
      {16, 3, 16, 16, false, false, 1},   {16, 3, 64, 24, false, false, 2},   {24, 3, 72, 24, false, false, 1},
      {24, 5, 72, 40, true, false, 2},    {40, 5, 120, 40, true, false, 1},   {40, 5, 120, 40, true, false, 1},
      {40, 3, 240, 80, false, true, 2},   {80, 3, 200, 80, false, true, 1},   {80, 3, 184, 80, false, true, 1},
      {80, 3, 184, 80, false, true, 1},   {80, 3, 480, 112, true, true, 1},   {112, 3, 672, 112, true, true, 1},
      {112, 5, 672, 160, true, true, 2},  {160, 5, 960, 160, true, true, 1},  {160, 5, 960, 160, true, true, 1}};
  static const std::vector<Cfg> small_cfg{
      {16, 3, 16, 16, true, false, 2},  {16, 3, 72, 24, false, false, 2}, {24, 3, 88, 24, false, false, 1},
      {24, 5, 96, 40, true, true, 2},   {40, 5, 240, 40, true, true, 1},  {40, 5, 240, 40, true, true, 1},
      {40, 5, 120, 48, true, true, 1},  {48, 5, 144, 48, true, true, 1},  {48, 5, 288, 96, true, true, 2},
      {96, 5, 576, 96, true, true, 1},  {96, 5, 576, 96, true, true, 1}};
  const auto& cfg = large ? large_cfg : small_cfg;
  features_ = register_module("features", nn::Sequential());
  features_->push_back(ConvNormAct(o.in_channels, 16, 3, 2, 1, Activation::Hardswish, 0.001, 0.01));
  for (const auto& c : cfg) features_->push_back(V3Block(c.in, c.k, c.exp, c.out, c.se, c.hs, c.stride));
  num_features_ = 6 * cfg.back().out;
  features_->push_back(ConvNormAct(cfg.back().out, num_features_, 1, 1, 1, Activation::Hardswish, 0.001, 0.01));
  last_channel_ = large ? 1280 : 1024;
  classifier_ = register_module("classifier", alloyml::nn::IndexedHead()).get();
  fc0_ = classifier_->register_module("0", nn::Linear(num_features_, last_channel_));
  alloyml::nn::init_convs_and_norms(*this, [](torch::Tensor& w) { nn::init::kaiming_normal_(w, 0.0, torch::kFanOut); });
  {
    torch::NoGradGuard g;
    nn::init::normal_(fc0_->weight, 0, 0.01);
    nn::init::zeros_(fc0_->bias);
  }
  reset_classifier(o.num_classes);
}

void MobileNetV3Impl::reset_classifier(int64_t num_classes) {
  num_classes_ = num_classes;
  nn::Linear l(last_channel_, num_classes);
  {
    torch::NoGradGuard g;
    nn::init::normal_(l->weight, 0, 0.01);
    nn::init::zeros_(l->bias);
  }
  head_ = head_ ? classifier_->replace_module("3", l) : classifier_->register_module("3", l);
}

torch::Tensor MobileNetV3Impl::forward_features(const torch::Tensor& x) {
  auto f = features_->forward(x);
  offer_feature_map("features", f);
  return f.mean({2, 3});
}

torch::Tensor MobileNetV3Impl::forward_head(const torch::Tensor& features) {
  return head_(torch::dropout(torch::hardswish(fc0_(features)), dropout_, is_training()));
}

}  // namespace alloyml::models
