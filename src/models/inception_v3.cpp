#include "alloyml/models/inception_v3.h"

namespace alloyml::models {
namespace nn = torch::nn;

namespace {
// An asymmetric kernel (kh x kw) padded to keep the size: the factorised convolutions.
BasicConv2d conv_hw(int64_t in, int64_t out, int64_t kh, int64_t kw) {
  return BasicConv2d(in, out, std::array<int64_t, 2>{kh, kw}, std::array<int64_t, 2>{kh / 2, kw / 2});
}

torch::Tensor avg_pool_3x3(const torch::Tensor& x) { return torch::avg_pool2d(x, 3, 1, 1); }
torch::Tensor max_pool_3x3_s2(const torch::Tensor& x) { return torch::max_pool2d(x, 3, 2); }

// torchvision: weights truncated normal with the module's stddev (0.1 unless set), batch norm 1 and 0.
nn::Linear linear(int64_t in, int64_t out, double std) {
  nn::Linear l(in, out);
  alloyml::nn::trunc_normal(l->weight, std);
  torch::NoGradGuard g;
  nn::init::zeros_(l->bias);
  return l;
}
}  // namespace

InceptionAImpl::InceptionAImpl(int64_t in, int64_t pool_features) {
  branch1x1 = register_module("branch1x1", BasicConv2d(in, 64, 1));
  branch5x5_1 = register_module("branch5x5_1", BasicConv2d(in, 48, 1));
  branch5x5_2 = register_module("branch5x5_2", BasicConv2d(48, 64, 5, 2));
  branch3x3dbl_1 = register_module("branch3x3dbl_1", BasicConv2d(in, 64, 1));
  branch3x3dbl_2 = register_module("branch3x3dbl_2", BasicConv2d(64, 96, 3, 1));
  branch3x3dbl_3 = register_module("branch3x3dbl_3", BasicConv2d(96, 96, 3, 1));
  branch_pool = register_module("branch_pool", BasicConv2d(in, pool_features, 1));
}

torch::Tensor InceptionAImpl::forward(const torch::Tensor& x) {
  return torch::cat({branch1x1(x), branch5x5_2(branch5x5_1(x)), branch3x3dbl_3(branch3x3dbl_2(branch3x3dbl_1(x))),
                     branch_pool(avg_pool_3x3(x))},
                    1);
}

InceptionBImpl::InceptionBImpl(int64_t in) {
  branch3x3 = register_module("branch3x3", BasicConv2d(in, 384, 3, 0, 2));
  branch3x3dbl_1 = register_module("branch3x3dbl_1", BasicConv2d(in, 64, 1));
  branch3x3dbl_2 = register_module("branch3x3dbl_2", BasicConv2d(64, 96, 3, 1));
  branch3x3dbl_3 = register_module("branch3x3dbl_3", BasicConv2d(96, 96, 3, 0, 2));
}

torch::Tensor InceptionBImpl::forward(const torch::Tensor& x) {
  return torch::cat({branch3x3(x), branch3x3dbl_3(branch3x3dbl_2(branch3x3dbl_1(x))), max_pool_3x3_s2(x)}, 1);
}

InceptionCImpl::InceptionCImpl(int64_t in, int64_t c7) {
  branch1x1 = register_module("branch1x1", BasicConv2d(in, 192, 1));
  branch7x7_1 = register_module("branch7x7_1", BasicConv2d(in, c7, 1));
  branch7x7_2 = register_module("branch7x7_2", conv_hw(c7, c7, 1, 7));
  branch7x7_3 = register_module("branch7x7_3", conv_hw(c7, 192, 7, 1));
  branch7x7dbl_1 = register_module("branch7x7dbl_1", BasicConv2d(in, c7, 1));
  branch7x7dbl_2 = register_module("branch7x7dbl_2", conv_hw(c7, c7, 7, 1));
  branch7x7dbl_3 = register_module("branch7x7dbl_3", conv_hw(c7, c7, 1, 7));
  branch7x7dbl_4 = register_module("branch7x7dbl_4", conv_hw(c7, c7, 7, 1));
  branch7x7dbl_5 = register_module("branch7x7dbl_5", conv_hw(c7, 192, 1, 7));
  branch_pool = register_module("branch_pool", BasicConv2d(in, 192, 1));
}

torch::Tensor InceptionCImpl::forward(const torch::Tensor& x) {
  auto dbl = branch7x7dbl_3(branch7x7dbl_2(branch7x7dbl_1(x)));
  dbl = branch7x7dbl_5(branch7x7dbl_4(dbl));
  return torch::cat({branch1x1(x), branch7x7_3(branch7x7_2(branch7x7_1(x))), dbl, branch_pool(avg_pool_3x3(x))}, 1);
}

InceptionDImpl::InceptionDImpl(int64_t in) {
  branch3x3_1 = register_module("branch3x3_1", BasicConv2d(in, 192, 1));
  branch3x3_2 = register_module("branch3x3_2", BasicConv2d(192, 320, 3, 0, 2));
  branch7x7x3_1 = register_module("branch7x7x3_1", BasicConv2d(in, 192, 1));
  branch7x7x3_2 = register_module("branch7x7x3_2", conv_hw(192, 192, 1, 7));
  branch7x7x3_3 = register_module("branch7x7x3_3", conv_hw(192, 192, 7, 1));
  branch7x7x3_4 = register_module("branch7x7x3_4", BasicConv2d(192, 192, 3, 0, 2));
}

torch::Tensor InceptionDImpl::forward(const torch::Tensor& x) {
  auto b7 = branch7x7x3_4(branch7x7x3_3(branch7x7x3_2(branch7x7x3_1(x))));
  return torch::cat({branch3x3_2(branch3x3_1(x)), b7, max_pool_3x3_s2(x)}, 1);
}

InceptionEImpl::InceptionEImpl(int64_t in) {
  branch1x1 = register_module("branch1x1", BasicConv2d(in, 320, 1));
  branch3x3_1 = register_module("branch3x3_1", BasicConv2d(in, 384, 1));
  branch3x3_2a = register_module("branch3x3_2a", conv_hw(384, 384, 1, 3));
  branch3x3_2b = register_module("branch3x3_2b", conv_hw(384, 384, 3, 1));
  branch3x3dbl_1 = register_module("branch3x3dbl_1", BasicConv2d(in, 448, 1));
  branch3x3dbl_2 = register_module("branch3x3dbl_2", BasicConv2d(448, 384, 3, 1));
  branch3x3dbl_3a = register_module("branch3x3dbl_3a", conv_hw(384, 384, 1, 3));
  branch3x3dbl_3b = register_module("branch3x3dbl_3b", conv_hw(384, 384, 3, 1));
  branch_pool = register_module("branch_pool", BasicConv2d(in, 192, 1));
}

torch::Tensor InceptionEImpl::forward(const torch::Tensor& x) {
  const auto b3 = branch3x3_1(x);
  const auto dbl = branch3x3dbl_2(branch3x3dbl_1(x));
  return torch::cat({branch1x1(x), torch::cat({branch3x3_2a(b3), branch3x3_2b(b3)}, 1),
                     torch::cat({branch3x3dbl_3a(dbl), branch3x3dbl_3b(dbl)}, 1), branch_pool(avg_pool_3x3(x))},
                    1);
}

InceptionAuxImpl::InceptionAuxImpl(int64_t in, int64_t num_classes) {
  conv0 = register_module("conv0", BasicConv2d(in, 128, 1));
  conv1 = register_module("conv1", BasicConv2d(128, 768, 5));
  fc = register_module("fc", linear(768, num_classes, 0.001));
}

InceptionV3Impl::InceptionV3Impl(const ModelOptions& o) : dropout_(o.dropout_or(0.5)) {
  Conv2d_1a_3x3 = register_module("Conv2d_1a_3x3", BasicConv2d(o.in_channels, 32, 3, 0, 2));
  Conv2d_2a_3x3 = register_module("Conv2d_2a_3x3", BasicConv2d(32, 32, 3));
  Conv2d_2b_3x3 = register_module("Conv2d_2b_3x3", BasicConv2d(32, 64, 3, 1));
  Conv2d_3b_1x1 = register_module("Conv2d_3b_1x1", BasicConv2d(64, 80, 1));
  Conv2d_4a_3x3 = register_module("Conv2d_4a_3x3", BasicConv2d(80, 192, 3));
  Mixed_5b = register_module("Mixed_5b", InceptionA(192, 32));
  Mixed_5c = register_module("Mixed_5c", InceptionA(256, 64));
  Mixed_5d = register_module("Mixed_5d", InceptionA(288, 64));
  Mixed_6a = register_module("Mixed_6a", InceptionB(288));
  Mixed_6b = register_module("Mixed_6b", InceptionC(768, 128));
  Mixed_6c = register_module("Mixed_6c", InceptionC(768, 160));
  Mixed_6d = register_module("Mixed_6d", InceptionC(768, 160));
  Mixed_6e = register_module("Mixed_6e", InceptionC(768, 192));
  AuxLogits = register_module("AuxLogits", InceptionAux(768, o.num_classes));
  Mixed_7a = register_module("Mixed_7a", InceptionD(768));
  Mixed_7b = register_module("Mixed_7b", InceptionE(1280));
  Mixed_7c = register_module("Mixed_7c", InceptionE(2048));
  alloyml::nn::init_convs_and_norms(*this, [](torch::Tensor& w) { alloyml::nn::trunc_normal(w, 0.1); });
  alloyml::nn::trunc_normal(AuxLogits->conv1->conv->weight, 0.01);  // torchvision's stddev for it
  reset_classifier(o.num_classes);
}

void InceptionV3Impl::reset_classifier(int64_t num_classes) {
  num_classes_ = num_classes;
  AuxLogits->fc = AuxLogits->replace_module("fc", linear(768, num_classes, 0.001));
  // Kept only so that torchvision's files load strictly: frozen, so it takes no optimiser steps
  // and no weight decay.
  for (auto& p : AuxLogits->parameters()) p.set_requires_grad(false);
  fc = fc ? replace_module("fc", linear(2048, num_classes, 0.1)) : register_module("fc", linear(2048, num_classes, 0.1));
}

torch::Tensor InceptionV3Impl::forward_features(const torch::Tensor& x) {
  auto y = max_pool_3x3_s2(Conv2d_2b_3x3(Conv2d_2a_3x3(Conv2d_1a_3x3(x))));
  y = max_pool_3x3_s2(Conv2d_4a_3x3(Conv2d_3b_1x1(y)));
  y = Mixed_6a(Mixed_5d(Mixed_5c(Mixed_5b(y))));
  y = Mixed_6e(Mixed_6d(Mixed_6c(Mixed_6b(y))));
  y = Mixed_7c(Mixed_7b(Mixed_7a(y)));
  offer_feature_map("Mixed_7c", y);
  return y.mean({2, 3});
}

}  // namespace alloyml::models
