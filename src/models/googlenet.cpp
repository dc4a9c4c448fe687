#include "alloyml/models/googlenet.h"

namespace alloyml::models {
namespace nn = torch::nn;
using alloyml::nn::BasicConv2d;

namespace {
torch::Tensor pool_ceil(const torch::Tensor& x, int64_t kernel) { return torch::max_pool2d(x, kernel, 2, 0, 1, true); }

// torchvision: Linear and Conv2d weights truncated normal with std 0.01, batch norm 1 and 0.
nn::Linear linear(int64_t in, int64_t out) {
  nn::Linear l(in, out);
  alloyml::nn::trunc_normal(l->weight, 0.01);
  torch::NoGradGuard g;
  nn::init::zeros_(l->bias);
  return l;
}
}  // namespace

GoogLeNetInceptionImpl::GoogLeNetInceptionImpl(int64_t in, int64_t ch1x1, int64_t ch3x3red, int64_t ch3x3,
                                               int64_t ch5x5red, int64_t ch5x5, int64_t pool_proj) {
  branch1 = register_module("branch1", BasicConv2d(in, ch1x1, 1));
  branch2 = register_module("branch2", nn::Sequential(BasicConv2d(in, ch3x3red, 1), BasicConv2d(ch3x3red, ch3x3, 3, 1)));
  branch3 = register_module("branch3", nn::Sequential(BasicConv2d(in, ch5x5red, 1), BasicConv2d(ch5x5red, ch5x5, 3, 1)));
  branch4 = register_module("branch4", nn::Sequential(nn::MaxPool2d(nn::MaxPool2dOptions(3).stride(1).padding(1).ceil_mode(true)),
                                                      BasicConv2d(in, pool_proj, 1)));
}

torch::Tensor GoogLeNetInceptionImpl::forward(const torch::Tensor& x) {
  return torch::cat({branch1(x), branch2->forward(x), branch3->forward(x), branch4->forward(x)}, 1);
}

GoogLeNetAuxImpl::GoogLeNetAuxImpl(int64_t in, int64_t num_classes) {
  conv = register_module("conv", BasicConv2d(in, 128, 1));
  fc1 = register_module("fc1", nn::Linear(2048, 1024));
  fc2 = register_module("fc2", nn::Linear(1024, num_classes));
}

GoogLeNetImpl::GoogLeNetImpl(const ModelOptions& o) : dropout_(o.dropout_or(0.2)) {
  using I = GoogLeNetInception;
  conv1 = register_module("conv1", BasicConv2d(o.in_channels, 64, 7, 3, 2));
  conv2 = register_module("conv2", BasicConv2d(64, 64, 1));
  conv3 = register_module("conv3", BasicConv2d(64, 192, 3, 1));
  inception3a = register_module("inception3a", I(192, 64, 96, 128, 16, 32, 32));
  inception3b = register_module("inception3b", I(256, 128, 128, 192, 32, 96, 64));
  inception4a = register_module("inception4a", I(480, 192, 96, 208, 16, 48, 64));
  inception4b = register_module("inception4b", I(512, 160, 112, 224, 24, 64, 64));
  inception4c = register_module("inception4c", I(512, 128, 128, 256, 24, 64, 64));
  inception4d = register_module("inception4d", I(512, 112, 144, 288, 32, 64, 64));
  inception4e = register_module("inception4e", I(528, 256, 160, 320, 32, 128, 128));
  inception5a = register_module("inception5a", I(832, 256, 160, 320, 32, 128, 128));
  inception5b = register_module("inception5b", I(832, 384, 192, 384, 48, 128, 128));
  aux1 = register_module("aux1", GoogLeNetAux(512, o.num_classes));
  aux2 = register_module("aux2", GoogLeNetAux(528, o.num_classes));
  alloyml::nn::init_convs_and_norms(*this, [](torch::Tensor& w) { alloyml::nn::trunc_normal(w, 0.01); });
  for (auto* aux : {&aux1, &aux2}) {
    (*aux)->fc1 = (*aux)->replace_module("fc1", linear(2048, 1024));
  }
  reset_classifier(o.num_classes);
}

void GoogLeNetImpl::reset_classifier(int64_t num_classes) {
  num_classes_ = num_classes;
  for (auto* aux : {&aux1, &aux2}) {
    (*aux)->fc2 = (*aux)->replace_module("fc2", linear(1024, num_classes));
    // Kept only so that torchvision's files load strictly: frozen, so they take no optimiser
    // steps and no weight decay.
    for (auto& p : (*aux)->parameters()) p.set_requires_grad(false);
  }
  fc = fc ? replace_module("fc", linear(1024, num_classes)) : register_module("fc", linear(1024, num_classes));
}

torch::Tensor GoogLeNetImpl::forward_features(const torch::Tensor& x) {
  auto y = pool_ceil(conv1(x), 3);
  y = pool_ceil(conv3(conv2(y)), 3);
  y = pool_ceil(inception3b(inception3a(y)), 3);
  y = inception4e(inception4d(inception4c(inception4b(inception4a(y)))));
  y = inception5b(inception5a(pool_ceil(y, 2)));
  offer_feature_map("inception5b", y);
  return y.mean({2, 3});
}

}  // namespace alloyml::models
