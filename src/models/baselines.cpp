#include "alloyml/models/baselines.h"
#include "alloyml/nn/batch_norm.h"

namespace alloyml::models {
namespace nn = torch::nn;

namespace {

nn::Linear normal_linear(int64_t in, int64_t out) {
  nn::Linear l(in, out);
  nn::init::normal_(l->weight, 0, 0.01);
  nn::init::zeros_(l->bias);
  return l;
}

void kaiming_convs(nn::Module& m) {
  alloyml::nn::init_convs_and_norms(m, [](torch::Tensor& w) { nn::init::kaiming_normal_(w, 0.0, torch::kFanOut, torch::kReLU); });
}

}  // namespace

TorchvisionCnnImpl::TorchvisionCnnImpl(std::string head_index, int64_t head_in, int64_t num_features,
                                       std::string stem_weight, bool normal_init, double dropout)
    : dropout_(dropout),
      head_index_(std::move(head_index)),
      stem_weight_(std::move(stem_weight)),
      head_in_(head_in),
      num_features_(num_features),
      normal_init_(normal_init) {}

void TorchvisionCnnImpl::reset_classifier(int64_t num_classes) {
  num_classes_ = num_classes;
  auto l = normal_init_ ? normal_linear(head_in_, num_classes) : nn::Linear(head_in_, num_classes);
  head_ = head_ ? classifier_->replace_module(head_index_, l) : classifier_->register_module(head_index_, l);
}

// ---- VGG16 / VGG19 (Simonyan and Zisserman 2015, configurations D and E) -------------------

VGGImpl::VGGImpl(const ModelOptions& o, int depth)
    : TorchvisionCnnImpl("6", 4096, 512 * 7 * 7, "features.0.weight", true, o.dropout_or(0.5)) {
  static const std::vector<int> d{64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0};
  static const std::vector<int> e{64, 64, 0, 128, 128, 0, 256, 256, 256, 256, 0, 512, 512, 512, 512, 0, 512, 512, 512, 512, 0};
  features_ = nn::Sequential();
  int64_t in = o.in_channels;
  for (int v : depth == 16 ? d : e) {
    if (v == 0) {
      features_->push_back(nn::MaxPool2d(nn::MaxPool2dOptions(2).stride(2)));
    } else {
      features_->push_back(nn::Conv2d(nn::Conv2dOptions(in, v, 3).padding(1)));
      features_->push_back(nn::ReLU(nn::ReLUOptions(true)));
      in = v;
    }
  }
  register_module("features", features_);
  classifier_ = register_module("classifier", alloyml::nn::IndexedHead());  // after features, as torchvision orders them
  fc0_ = classifier_->register_module("0", normal_linear(512 * 7 * 7, 4096));
  fc3_ = classifier_->register_module("3", normal_linear(4096, 4096));
  kaiming_convs(*this);
  reset_classifier(o.num_classes);
}

torch::Tensor VGGImpl::forward_features(const torch::Tensor& x) {
  return torch::adaptive_avg_pool2d(feature_map(x), {7, 7}).flatten(1);
}

torch::Tensor VGGImpl::forward_head(const torch::Tensor& features) {
  auto y = torch::dropout(torch::relu(fc0_(features)), dropout_, is_training());
  return head_(torch::dropout(torch::relu(fc3_(y)), dropout_, is_training()));
}

// ---- AlexNet ---------------------------------------------------------------------------

AlexNetImpl::AlexNetImpl(const ModelOptions& o)
    : TorchvisionCnnImpl("6", 4096, 256 * 6 * 6, "features.0.weight", false, o.dropout_or(0.5)) {
  auto conv = [](int64_t i, int64_t out, int64_t k, int64_t s, int64_t p) {
    return nn::Conv2d(nn::Conv2dOptions(i, out, k).stride(s).padding(p));
  };
  auto relu = [] { return nn::ReLU(nn::ReLUOptions(true)); };
  auto pool = [] { return nn::MaxPool2d(nn::MaxPool2dOptions(3).stride(2)); };
  features_ = nn::Sequential(conv(o.in_channels, 64, 11, 4, 2), relu(), pool(), conv(64, 192, 5, 1, 2), relu(), pool(),
                             conv(192, 384, 3, 1, 1), relu(), conv(384, 256, 3, 1, 1), relu(), conv(256, 256, 3, 1, 1),
                             relu(), pool());
  register_module("features", features_);
  classifier_ = register_module("classifier", alloyml::nn::IndexedHead());  // after features, as torchvision orders them
  // torchvision keeps PyTorch's default initialisation for AlexNet.
  fc1_ = classifier_->register_module("1", nn::Linear(256 * 6 * 6, 4096));
  fc4_ = classifier_->register_module("4", nn::Linear(4096, 4096));
  reset_classifier(o.num_classes);
}

torch::Tensor AlexNetImpl::forward_features(const torch::Tensor& x) {
  return torch::adaptive_avg_pool2d(feature_map(x), {6, 6}).flatten(1);
}

torch::Tensor AlexNetImpl::forward_head(const torch::Tensor& features) {
  auto y = torch::relu(fc1_(torch::dropout(features, dropout_, is_training())));
  return head_(torch::relu(fc4_(torch::dropout(y, dropout_, is_training()))));
}

// ---- MobileNetV2 -----------------------------------------------------------------------

namespace {

alloyml::nn::ConvNormAct conv_bn_relu6(int64_t in, int64_t out, int64_t k, int64_t stride, int64_t groups) {
  return alloyml::nn::ConvNormAct(in, out, k, stride, groups, alloyml::nn::Activation::ReLU6);
}

struct InvertedResidualImpl : nn::Module {
  InvertedResidualImpl(int64_t in, int64_t out, int64_t stride, int64_t expand) : residual(stride == 1 && in == out) {
    const int64_t hidden = in * expand;
    conv = nn::Sequential();
    if (expand != 1) conv->push_back(conv_bn_relu6(in, hidden, 1, 1, 1));
    conv->push_back(conv_bn_relu6(hidden, hidden, 3, stride, hidden));
    conv->push_back(nn::Conv2d(nn::Conv2dOptions(hidden, out, 1).bias(false)));
    conv->push_back(alloyml::nn::BatchNorm(out));
    register_module("conv", conv);
  }
  torch::Tensor forward(const torch::Tensor& x) { return residual ? x + conv->forward(x) : conv->forward(x); }
  nn::Sequential conv{nullptr};
  bool residual;
};
TORCH_MODULE(InvertedResidual);

}  // namespace

MobileNetV2Impl::MobileNetV2Impl(const ModelOptions& o)
    : TorchvisionCnnImpl("1", 1280, 1280, "features.0.0.weight", true, o.dropout_or(0.2)) {
  // (expansion t, channels c, repeats n, stride s) from Sandler et al. 2018, Table 2.
  static const int64_t settings[][4] = {{1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2},
                                        {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};
  features_ = nn::Sequential();
  features_->push_back(conv_bn_relu6(o.in_channels, 32, 3, 2, 1));
  int64_t in = 32;
  for (const auto& s : settings)
    for (int64_t i = 0; i < s[2]; ++i) {
      features_->push_back(InvertedResidual(in, s[1], i == 0 ? s[3] : 1, s[0]));
      in = s[1];
    }
  features_->push_back(conv_bn_relu6(in, 1280, 1, 1, 1));
  register_module("features", features_);
  classifier_ = register_module("classifier", alloyml::nn::IndexedHead());  // after features, as torchvision orders them
  kaiming_convs(*this);
  reset_classifier(o.num_classes);
}

torch::Tensor MobileNetV2Impl::forward_features(const torch::Tensor& x) { return feature_map(x).mean({2, 3}); }

torch::Tensor MobileNetV2Impl::forward_head(const torch::Tensor& features) {
  return head_(torch::dropout(features, dropout_, is_training()));
}

}  // namespace alloyml::models
