#include "alloyml/models/resnet_blocks.h"

namespace alloyml::models {
namespace nn = torch::nn;

namespace {
nn::Conv2d conv(int64_t in, int64_t out, int64_t k, int64_t stride = 1, int64_t groups = 1, bool bias = false) {
  return nn::Conv2d(nn::Conv2dOptions(in, out, k).stride(stride).padding(k / 2).groups(groups).bias(bias));
}
}  // namespace

int64_t se_reduced_channels(int64_t channels) {
  // timm: make_divisible(channels / 16, 8, round_limit=0.)
  const double v = channels / 16.0;
  const int64_t divisor = 8;
  return std::max<int64_t>(divisor, static_cast<int64_t>(v + divisor / 2.0) / divisor * divisor);
}

SEModuleImpl::SEModuleImpl(int64_t channels) {
  const int64_t rd = se_reduced_channels(channels);
  fc1 = register_module("fc1", conv(channels, rd, 1, 1, 1, true));
  fc2 = register_module("fc2", conv(rd, channels, 1, 1, 1, true));
}

torch::Tensor SEModuleImpl::forward(const torch::Tensor& x) {
  auto s = x.mean({2, 3}, /*keepdim=*/true);
  s = fc2(torch::relu(fc1(s)));
  return x * torch::sigmoid(s);
}

nn::Sequential make_downsample(int64_t inplanes, int64_t outplanes, int64_t stride) {
  if (stride == 1 && inplanes == outplanes) return nullptr;
  return nn::Sequential(conv(inplanes, outplanes, 1, stride), nn::BatchNorm2d(outplanes));
}

void fold_batchnorm(nn::Conv2dImpl& conv, const nn::BatchNorm2dImpl& bn) {
  torch::NoGradGuard no_grad;
  const auto scale = bn.weight / torch::sqrt(bn.running_var + bn.options.eps());
  conv.weight.mul_(scale.reshape({-1, 1, 1, 1}));
  const auto bias = conv.bias.defined() ? conv.bias : torch::zeros_like(bn.running_mean);
  conv.bias = bn.bias + (bias - bn.running_mean) * scale;
}

torch::Tensor shortcut(nn::Sequential& downsample, const torch::Tensor& x, bool folded) {
  if (!downsample) return x;
  return folded ? downsample[0]->as<nn::Conv2d>()->forward(x) : downsample->forward(x);
}

namespace {
void fold_downsample(nn::Sequential& ds) {
  if (ds) fold_batchnorm(*ds[0]->as<nn::Conv2d>(), *ds[1]->as<nn::BatchNorm2d>());
}
}  // namespace

PackedConv::PackedConv(const nn::Conv2dImpl& conv, torch::ScalarType dtype) {
  const auto& o = conv.options;
  auto vec = [](const torch::ExpandingArray<2>& a) { return std::vector<int64_t>(a->begin(), a->end()); };
  stride = vec(o.stride());
  padding = vec(c10::get<torch::ExpandingArray<2>>(o.padding()));
  dilation = vec(o.dilation());
  groups = o.groups();
  weight = torch::mkldnn_reorder_conv2d_weight(conv.weight.detach().to(dtype).to_mkldnn(), padding, stride, dilation,
                                               groups);
  if (conv.bias.defined()) bias = conv.bias.detach().to(dtype);
}

torch::Tensor PackedConv::operator()(const torch::Tensor& x) const {
  return torch::mkldnn_convolution(x, weight, bias, padding, stride, dilation, groups);
}

namespace {
void pack_downsample(std::vector<PackedConv>& packed, nn::Sequential& ds, torch::ScalarType dtype) {
  if (ds) packed.emplace_back(*ds[0]->as<nn::Conv2d>(), dtype);
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
  bn1 = register_module("bn1", nn::BatchNorm2d(o.planes));
  conv2 = register_module("conv2", conv(o.planes, o.planes, 3));
  bn2 = register_module("bn2", nn::BatchNorm2d(o.planes));
  if (o.se) se = register_module("se", SEModule(o.planes));
  if (auto ds = make_downsample(o.inplanes, o.planes * kExpansion, o.stride)) downsample = register_module("downsample", ds);
}

// In-place ReLU and residual add, as torchvision: fewer allocations and memory passes.
torch::Tensor BasicBlockImpl::forward(const torch::Tensor& x) {
  auto out = conv1(x);
  if (!folded) out = bn1(out);
  out.relu_();
  out = conv2(out);
  if (!folded) out = bn2(out);
  if (se) out = se(out);
  out += shortcut(downsample, x, folded);
  return out.relu_();
}

BottleneckImpl::BottleneckImpl(const BlockOptions& o) {
  // torchvision: width = int(planes * (base_width / 64.)) * groups
  const int64_t width = static_cast<int64_t>(o.planes * (o.base_width / 64.0)) * o.groups;
  const int64_t out = o.planes * kExpansion;
  conv1 = register_module("conv1", conv(o.inplanes, width, 1));
  bn1 = register_module("bn1", nn::BatchNorm2d(width));
  conv2 = register_module("conv2", conv(width, width, 3, o.stride, o.groups));
  bn2 = register_module("bn2", nn::BatchNorm2d(width));
  conv3 = register_module("conv3", conv(width, out, 1));
  bn3 = register_module("bn3", nn::BatchNorm2d(out));
  if (o.se) se = register_module("se", SEModule(out));
  if (auto ds = make_downsample(o.inplanes, out, o.stride)) downsample = register_module("downsample", ds);
}

torch::Tensor BottleneckImpl::forward(const torch::Tensor& x) {
  auto out = conv1(x);
  if (!folded) out = bn1(out);
  out.relu_();
  out = conv2(out);
  if (!folded) out = bn2(out);
  out.relu_();
  out = conv3(out);
  if (!folded) out = bn3(out);
  if (se) out = se(out);  // timm: SE after bn3, before the residual add
  out += shortcut(downsample, x, folded);
  return out.relu_();
}

}  // namespace alloyml::models
