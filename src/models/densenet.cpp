#include "alloyml/models/densenet.h"

#include "alloyml/nn/blocks.h"

namespace alloyml::models {
namespace nn = torch::nn;
using alloyml::nn::BatchNorm;

namespace {
struct DenseLayerImpl : nn::Module {
  DenseLayerImpl(int64_t in, int64_t growth, int64_t bn_size) {
    norm1 = register_module("norm1", BatchNorm(in));
    conv1 = register_module("conv1", nn::Conv2d(nn::Conv2dOptions(in, bn_size * growth, 1).bias(false)));
    norm2 = register_module("norm2", BatchNorm(bn_size * growth));
    conv2 = register_module("conv2", nn::Conv2d(nn::Conv2dOptions(bn_size * growth, growth, 3).padding(1).bias(false)));
  }
  torch::Tensor forward(const torch::Tensor& x) { return conv2(torch::relu(norm2(conv1(torch::relu(norm1(x)))))); }
  BatchNorm norm1{nullptr}, norm2{nullptr};
  nn::Conv2d conv1{nullptr}, conv2{nullptr};
};
TORCH_MODULE(DenseLayer);

struct DenseBlockImpl : nn::Module {
  DenseBlockImpl(int64_t layers, int64_t in, int64_t growth, int64_t bn_size) {
    for (int64_t i = 0; i < layers; ++i)
      this->layers.push_back(register_module("denselayer" + std::to_string(i + 1), DenseLayer(in + i * growth, growth, bn_size)));
  }
  torch::Tensor forward(torch::Tensor x) {
    std::vector<torch::Tensor> all{x};
    for (auto& l : layers) all.push_back(l->forward(torch::cat(all, 1)));
    return torch::cat(all, 1);
  }
  std::vector<DenseLayer> layers;
};
TORCH_MODULE(DenseBlock);

struct TransitionImpl : nn::Module {
  TransitionImpl(int64_t in, int64_t out) {
    norm = register_module("norm", BatchNorm(in));
    conv = register_module("conv", nn::Conv2d(nn::Conv2dOptions(in, out, 1).bias(false)));
  }
  torch::Tensor forward(torch::Tensor x) { return torch::avg_pool2d(conv(torch::relu(norm(x))), 2, 2); }
  BatchNorm norm{nullptr};
  nn::Conv2d conv{nullptr};
};
TORCH_MODULE(Transition);
}  // namespace

DenseNetImpl::DenseNetImpl(const ModelOptions& o) : dropout_(o.dropout_or(0.0)) {
  const int64_t growth = 32, bn_size = 4;
  const int64_t blocks[] = {6, 12, 24, 16};
  features_ = register_module("features", nn::Sequential());
  // Named children in torchvision's order; the Sequential applies them in that order.
  features_->push_back("conv0", nn::Conv2d(nn::Conv2dOptions(o.in_channels, 64, 7).stride(2).padding(3).bias(false)));
  features_->push_back("norm0", BatchNorm(64));
  features_->push_back("relu0", nn::ReLU());
  features_->push_back("pool0", nn::MaxPool2d(nn::MaxPool2dOptions(3).stride(2).padding(1)));
  int64_t ch = 64;
  for (int b = 0; b < 4; ++b) {
    features_->push_back("denseblock" + std::to_string(b + 1), DenseBlock(blocks[b], ch, growth, bn_size));
    ch += blocks[b] * growth;
    if (b < 3) {
      features_->push_back("transition" + std::to_string(b + 1), Transition(ch, ch / 2));
      ch /= 2;
    }
  }
  features_->push_back("norm5", BatchNorm(ch));
  num_features_ = ch;
  alloyml::nn::init_convs_and_norms(*this, [](torch::Tensor& w) { nn::init::kaiming_normal_(w); });
  reset_classifier(o.num_classes);
}

void DenseNetImpl::reset_classifier(int64_t num_classes) {
  num_classes_ = num_classes;
  nn::Linear l(num_features_, num_classes);
  {
    torch::NoGradGuard g;
    nn::init::zeros_(l->bias);
  }
  classifier_ = classifier_ ? replace_module("classifier", l) : register_module("classifier", l);
}

torch::Tensor DenseNetImpl::forward_features(const torch::Tensor& x) {
  auto f = features_->forward(x);
  offer_feature_map("features", f);
  return torch::relu(f).mean({2, 3});
}

}  // namespace alloyml::models
