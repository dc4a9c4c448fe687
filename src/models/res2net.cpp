#include "alloyml/models/res2net.h"

#include <cmath>

#include "alloyml/nn/blocks.h"

namespace alloyml::models {
namespace nn = torch::nn;

namespace {

struct Bottle2neckImpl : nn::Module {
  Bottle2neckImpl(int64_t in, int64_t planes, int64_t stride, bool downsample, int64_t base_width, int64_t scale)
      : scale(scale), first(stride > 1 || downsample), stride(stride) {
    width = static_cast<int64_t>(std::floor(planes * (base_width / 64.0)));
    conv1 = register_module("conv1", nn::Conv2d(nn::Conv2dOptions(in, width * scale, 1).bias(false)));
    bn1 = register_module("bn1", alloyml::nn::BatchNorm(width * scale));
    convs = register_module("convs", nn::ModuleList());
    bns = register_module("bns", nn::ModuleList());
    for (int64_t i = 0; i < std::max<int64_t>(1, scale - 1); ++i) {
      convs->push_back(nn::Conv2d(nn::Conv2dOptions(width, width, 3).stride(stride).padding(1).bias(false)));
      bns->push_back(alloyml::nn::BatchNorm(width));
    }
    conv3 = register_module("conv3", nn::Conv2d(nn::Conv2dOptions(width * scale, planes * 4, 1).bias(false)));
    bn3 = register_module("bn3", alloyml::nn::BatchNorm(planes * 4));
    if (downsample)
      down = register_module("downsample", nn::Sequential(nn::Conv2d(nn::Conv2dOptions(in, planes * 4, 1).stride(stride).bias(false)),
                                                          alloyml::nn::BatchNorm(planes * 4)));
  }
  torch::Tensor forward(torch::Tensor x) {
    auto out = torch::relu(bn1(conv1(x)));
    const auto spx = out.split(width, 1);
    std::vector<torch::Tensor> spo;
    torch::Tensor sp;
    for (size_t i = 0; i < convs->size(); ++i) {
      sp = i == 0 || first ? spx[i] : sp + spx[i];
      sp = torch::relu(bns[i]->as<alloyml::nn::BatchNorm>()->forward(convs[i]->as<nn::Conv2d>()->forward(sp)));
      spo.push_back(sp);
    }
    if (scale > 1)  // the last group passes (pooled where the block strides or projects)
      spo.push_back(first ? torch::avg_pool2d(spx.back(), 3, stride, 1) : spx.back());
    out = bn3(conv3(torch::cat(spo, 1)));
    return torch::relu(out + (down ? down->forward(x) : x));
  }
  int64_t scale, width = 0;
  bool first;
  int64_t stride;
  nn::Conv2d conv1{nullptr}, conv3{nullptr};
  alloyml::nn::BatchNorm bn1{nullptr}, bn3{nullptr};
  nn::ModuleList convs{nullptr}, bns{nullptr};
  nn::Sequential down{nullptr};
};
TORCH_MODULE(Bottle2neck);
}  // namespace

Res2NetImpl::Res2NetImpl(const ModelOptions& o, std::array<int64_t, 4> layers, int64_t base_width, int64_t scale)
    : dropout_(o.dropout_or(0.0)) {
  conv1_ = register_module("conv1", nn::Conv2d(nn::Conv2dOptions(o.in_channels, 64, 7).stride(2).padding(3).bias(false)));
  bn1_ = register_module("bn1", alloyml::nn::BatchNorm(64));
  int64_t in = 64;
  for (int s = 0; s < 4; ++s) {
    const int64_t planes = int64_t{64} << s, stride = s == 0 ? 1 : 2;
    nn::Sequential layer;
    for (int64_t b = 0; b < layers[static_cast<size_t>(s)]; ++b) {
      const bool down = b == 0 && (stride != 1 || in != planes * 4);
      layer->push_back(Bottle2neck(in, planes, b == 0 ? stride : 1, down, base_width, scale));
      in = planes * 4;
    }
    layers_.push_back(register_module("layer" + std::to_string(s + 1), layer));
  }
  alloyml::nn::init_convs_and_norms(*this, [](torch::Tensor& w) { nn::init::kaiming_normal_(w, 0.0, torch::kFanOut, torch::kReLU); });
  reset_classifier(o.num_classes);
}

void Res2NetImpl::reset_classifier(int64_t num_classes) {
  num_classes_ = num_classes;
  nn::Linear l(2048, num_classes);
  fc_ = fc_ ? replace_module("fc", l) : register_module("fc", l);
}

torch::Tensor Res2NetImpl::forward_features(const torch::Tensor& x) {
  auto y = torch::max_pool2d(torch::relu(bn1_(conv1_(x))), 3, 2, 1);
  for (size_t i = 0; i < layers_.size(); ++i) {
    y = layers_[i]->forward(y);
    if (i == 2) offer_feature_map("layer3", y);
  }
  offer_feature_map("layer4", y);
  return y.mean({2, 3});
}

}  // namespace alloyml::models
