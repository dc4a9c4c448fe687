#include "alloyml/models/resnet_blocks.h"

namespace alloyml::models {
namespace nn = torch::nn;

using alloyml::nn::conv;

namespace {

// The residual branch's gate (SE, shrinkage or SARSN), registered under timm's "se" name so
// SE-ResNet weights load into a SARSN with only "saddt.delta" missing.
template <typename Block>
void register_gate(Block& b, Gate gate, int64_t channels) {
  if (gate == Gate::SE || gate == Gate::Sarsn) b.se = b.register_module("se", SEModule(channels));
  if (gate == Gate::Shrinkage) b.shrinkage = b.register_module("shrinkage", Shrinkage(channels));
  if (gate == Gate::Sarsn) b.saddt = b.register_module("saddt", DirectionalShrinkage(channels));
}

// Huang et al. 2023, Section 2.3.2: squeeze and excitation (Eqs. 5-7), then SADDT (Eqs. 10-11).
template <typename Block>
torch::Tensor apply_gate(Block& b, torch::Tensor out) {
  if (b.se) out = b.se(out);
  if (b.saddt) out = b.saddt(out);
  if (b.shrinkage) out = b.shrinkage(out);
  return out;
}

}  // namespace

void BasicBlockImpl::pack(torch::ScalarType dtype) {
  packed = {PackedConv(*conv1, dtype), PackedConv(*conv2, dtype)};
  pack_downsample(packed, downsample, dtype);
}

void BottleneckImpl::pack(torch::ScalarType dtype) {
  packed = {PackedConv(*conv1, dtype), PackedConv(*conv2, dtype), PackedConv(*conv3, dtype)};
  pack_downsample(packed, downsample, dtype);
}

torch::Tensor BasicBlockImpl::forward_packed(const torch::Tensor& x) {
  auto out = packed[0](x);
  out.relu_();
  out = packed[1](out);
  out.add_(packed.size() > 2 ? packed[2](x) : x);
  return out.relu_();
}

torch::Tensor BottleneckImpl::forward_packed(const torch::Tensor& x) {
  auto out = packed[0](x);
  out.relu_();
  out = packed[1](out);
  out.relu_();
  out = packed[2](out);
  out.add_(packed.size() > 3 ? packed[3](x) : x);
  return out.relu_();
}

void BasicBlockImpl::fold_batchnorms() {
  fold_batchnorm(*conv1, *bn1);
  fold_batchnorm(*conv2, *bn2);
  fold_downsample(downsample);
  folded = true;
}

void BottleneckImpl::fold_batchnorms() {
  fold_batchnorm(*conv1, *bn1);
  fold_batchnorm(*conv2, *bn2);
  fold_batchnorm(*conv3, *bn3);
  fold_downsample(downsample);
  folded = true;
}

BasicBlockImpl::BasicBlockImpl(const BlockOptions& o) {
  TORCH_CHECK(o.groups == 1 && o.base_width == 64, "BasicBlock supports only groups=1 and base_width=64");
  conv1 = register_module("conv1", conv(o.inplanes, o.planes, 3, o.stride));
  bn1 = register_module("bn1", alloyml::nn::BatchNorm(o.planes));
  conv2 = register_module("conv2", conv(o.planes, o.planes, 3));
  bn2 = register_module("bn2", alloyml::nn::BatchNorm(o.planes));
  register_gate(*this, o.gate, o.planes);
  if (auto ds = make_downsample(o.inplanes, o.planes * kExpansion, o.stride)) downsample = register_module("downsample", ds);
}

// In-place ReLU and residual add, as torchvision: fewer allocations and memory passes.
torch::Tensor BasicBlockImpl::forward(const torch::Tensor& x) {
  auto out = conv_forward(*conv1, x);
  if (!folded) out = bn1(out);
  out.relu_();
  out = conv_forward(*conv2, out);
  if (!folded) out = bn2(out);
  out = apply_gate(*this, out);
  out += shortcut(downsample, x, folded);
  return out.relu_();
}

BottleneckImpl::BottleneckImpl(const BlockOptions& o) {
  // torchvision: width = int(planes * (base_width / 64.)) * groups
  const int64_t width = static_cast<int64_t>(o.planes * (o.base_width / 64.0)) * o.groups;
  const int64_t out = o.planes * kExpansion;
  conv1 = register_module("conv1", conv(o.inplanes, width, 1));
  bn1 = register_module("bn1", alloyml::nn::BatchNorm(width));
  conv2 = register_module("conv2", conv(width, width, 3, o.stride, o.groups));
  bn2 = register_module("bn2", alloyml::nn::BatchNorm(width));
  conv3 = register_module("conv3", conv(width, out, 1));
  bn3 = register_module("bn3", alloyml::nn::BatchNorm(out));
  register_gate(*this, o.gate, out);
  if (auto ds = make_downsample(o.inplanes, out, o.stride)) downsample = register_module("downsample", ds);
}

torch::Tensor BottleneckImpl::forward(const torch::Tensor& x) {
  auto out = conv_forward(*conv1, x);
  if (!folded) out = bn1(out);
  out.relu_();
  out = conv_forward(*conv2, out);
  if (!folded) out = bn2(out);
  out.relu_();
  out = conv_forward(*conv3, out);
  if (!folded) out = bn3(out);
  out = apply_gate(*this, out);  // timm: SE after bn3, before the residual add
  out += shortcut(downsample, x, folded);
  return out.relu_();
}

}  // namespace alloyml::models
