#include "alloyml/models/ghostnet.h"

#include <cmath>

#include "alloyml/nn/blocks.h"

namespace alloyml::models {
namespace nn = torch::nn;

namespace {
// timm's GhostModule: a 1x1 convolution makes half the channels, a depthwise 3x3 "cheap
// operation" the rest; the concatenation is cut to `out`.
struct GhostModuleImpl : nn::Module {
  GhostModuleImpl(int64_t in, int64_t out, bool act) : out(out), act(act) {
    const int64_t init = (out + 1) / 2, extra = init;
    primary = register_module("primary_conv", nn::Sequential(nn::Conv2d(nn::Conv2dOptions(in, init, 1).bias(false)),
                                                             alloyml::nn::BatchNorm(init)));
    cheap = register_module("cheap_operation",
                            nn::Sequential(nn::Conv2d(nn::Conv2dOptions(init, extra, 3).padding(1).groups(init).bias(false)),
                                           alloyml::nn::BatchNorm(extra)));
  }
  torch::Tensor forward(const torch::Tensor& x) {
    auto x1 = primary->forward(x);
    if (act) x1 = torch::relu(x1);
    auto x2 = cheap->forward(x1);
    if (act) x2 = torch::relu(x2);
    return torch::cat({x1, x2}, 1).narrow(1, 0, out);
  }
  int64_t out;
  bool act;
  nn::Sequential primary{nullptr}, cheap{nullptr};
};
TORCH_MODULE(GhostModule);

struct GhostSEImpl : nn::Module {  // timm's SqueezeExcite with a hard-sigmoid gate
  GhostSEImpl(int64_t ch, int64_t reduced) {
    conv_reduce = register_module("conv_reduce", nn::Conv2d(nn::Conv2dOptions(ch, reduced, 1)));
    conv_expand = register_module("conv_expand", nn::Conv2d(nn::Conv2dOptions(reduced, ch, 1)));
  }
  torch::Tensor forward(const torch::Tensor& x) {
    return x * torch::hardsigmoid(conv_expand(torch::relu(conv_reduce(x.mean({2, 3}, true)))));
  }
  nn::Conv2d conv_reduce{nullptr}, conv_expand{nullptr};
};
TORCH_MODULE(GhostSE);

struct GhostBottleneckImpl : nn::Module {
  GhostBottleneckImpl(int64_t in, int64_t mid, int64_t out, int64_t k, int64_t stride, double se_ratio) : stride(stride) {
    ghost1 = register_module("ghost1", GhostModule(in, mid, true));
    if (stride > 1) {
      conv_dw = register_module("conv_dw", nn::Conv2d(nn::Conv2dOptions(mid, mid, k).stride(stride).padding((k - 1) / 2).groups(mid).bias(false)));
      bn_dw = register_module("bn_dw", alloyml::nn::BatchNorm(mid));
    }
    if (se_ratio > 0) se = register_module("se", GhostSE(mid, alloyml::nn::make_divisible(mid * se_ratio, 4)));
    ghost2 = register_module("ghost2", GhostModule(mid, out, false));
    shortcut = register_module("shortcut", nn::Sequential());
    if (!(in == out && stride == 1)) {
      shortcut->push_back(nn::Conv2d(nn::Conv2dOptions(in, in, k).stride(stride).padding((k - 1) / 2).groups(in).bias(false)));
      shortcut->push_back(alloyml::nn::BatchNorm(in));
      shortcut->push_back(nn::Conv2d(nn::Conv2dOptions(in, out, 1).bias(false)));
      shortcut->push_back(alloyml::nn::BatchNorm(out));
    }
  }
  torch::Tensor forward(torch::Tensor x) {
    auto y = ghost1->forward(x);
    if (conv_dw) y = bn_dw(conv_dw(y));
    if (se) y = se->forward(y);
    y = ghost2->forward(y);
    return y + (shortcut->is_empty() ? x : shortcut->forward(x));
  }
  int64_t stride;
  GhostModule ghost1{nullptr}, ghost2{nullptr};
  nn::Conv2d conv_dw{nullptr};
  alloyml::nn::BatchNorm bn_dw{nullptr};
  GhostSE se{nullptr};
  nn::Sequential shortcut{nullptr};
};
TORCH_MODULE(GhostBottleneck);

struct ConvBnReLUImpl : nn::Module {  // timm's ConvBnAct: "conv", "bn1" (batch norm then ReLU)
  ConvBnReLUImpl(int64_t in, int64_t out) {
    conv = register_module("conv", nn::Conv2d(nn::Conv2dOptions(in, out, 1).bias(false)));
    bn1 = register_module("bn1", alloyml::nn::BatchNorm(out));
  }
  torch::Tensor forward(torch::Tensor x) { return torch::relu(bn1(conv(x))); }
  nn::Conv2d conv{nullptr};
  alloyml::nn::BatchNorm bn1{nullptr};
};
TORCH_MODULE(ConvBnReLU);

}  // namespace

GhostNetImpl::GhostNetImpl(const ModelOptions& o, double width) : dropout_(o.dropout_or(0.2)) {
  // Han et al. 2020, Table 1 (timm's cfgs): per stage, (kernel, expansion, out, SE ratio, stride).
  struct Cfg {
    int64_t k, exp, out;
    double se;
    int64_t stride;
  };
  static const std::vector<std::vector<Cfg>> stages{
      {{3, 16, 16, 0, 1}},
      {{3, 48, 24, 0, 2}},
      {{3, 72, 24, 0, 1}},
      {{5, 72, 40, 0.25, 2}},
      {{5, 120, 40, 0.25, 1}},
      {{3, 240, 80, 0, 2}},
      {{3, 200, 80, 0, 1}, {3, 184, 80, 0, 1}, {3, 184, 80, 0, 1}, {3, 480, 112, 0.25, 1}, {3, 672, 112, 0.25, 1}},
      {{5, 672, 160, 0.25, 2}},
      {{5, 960, 160, 0, 1}, {5, 960, 160, 0.25, 1}, {5, 960, 160, 0, 1}, {5, 960, 160, 0.25, 1}}};
  const int64_t stem = alloyml::nn::make_divisible(16 * width, 4);
  conv_stem_ = register_module("conv_stem", nn::Conv2d(nn::Conv2dOptions(o.in_channels, stem, 3).stride(2).padding(1).bias(false)));
  bn1_ = register_module("bn1", alloyml::nn::BatchNorm(stem));
  blocks_ = register_module("blocks", nn::Sequential());
  int64_t prev = stem, last_exp = 0;
  for (const auto& stage : stages) {
    alloyml::nn::Stage s;
    for (const auto& c : stage) {
      const int64_t out = alloyml::nn::make_divisible(c.out * width, 4), mid = alloyml::nn::make_divisible(c.exp * width, 4);
      s->push_back(GhostBottleneck(prev, mid, out, c.k, c.stride, c.se));
      prev = out;
      last_exp = c.exp;
    }
    blocks_->push_back(s);
  }
  const int64_t out = alloyml::nn::make_divisible(last_exp * width, 4);
  alloyml::nn::Stage head;
  head->push_back(ConvBnReLU(prev, out));
  blocks_->push_back(head);
  num_features_ = out;
  conv_head_ = register_module("conv_head", nn::Conv2d(nn::Conv2dOptions(out, 1280, 1)));
  reset_classifier(o.num_classes);
}

void GhostNetImpl::reset_classifier(int64_t num_classes) {
  num_classes_ = num_classes;
  nn::Linear l(1280, num_classes);
  classifier_ = classifier_ ? replace_module("classifier", l) : register_module("classifier", l);
}

torch::Tensor GhostNetImpl::forward_features(const torch::Tensor& x) {
  auto y = blocks_->forward(torch::relu(bn1_(conv_stem_(x))));
  offer_feature_map("blocks", y);
  return y.mean({2, 3});
}

torch::Tensor GhostNetImpl::forward_head(const torch::Tensor& features) {
  const auto y = torch::relu(conv_head_(features.unsqueeze(-1).unsqueeze(-1))).flatten(1);
  return classifier_(torch::dropout(y, dropout_, is_training()));
}

}  // namespace alloyml::models
