#include "alloyml/models/cyclegan.h"

namespace alloyml::models {
namespace nn = torch::nn;

namespace {

// InstanceNorm2d(affine=False, track_running_stats=False), the reference's norm_layer 'instance'.
nn::InstanceNorm2d instance_norm(int64_t channels) {
  return nn::InstanceNorm2d(nn::InstanceNorm2dOptions(channels).affine(false).track_running_stats(false));
}

// The reference's get_norm_layer: 'instance' as above, 'batch' BatchNorm2d(affine, running
// statistics), 'none' an identity (kept as a module so the parameter names stay the reference's).
torch::nn::AnyModule norm_layer(const std::string& norm, int64_t channels) {
  if (norm == "instance") return torch::nn::AnyModule(instance_norm(channels));
  if (norm == "batch") return torch::nn::AnyModule(nn::BatchNorm2d(channels));
  if (norm == "none") return torch::nn::AnyModule(nn::Identity());
  TORCH_CHECK(false, "generator: norm must be instance, batch or none, got '", norm, "'");
}

// The reference's use_bias: a convolution before an affine norm needs no bias of its own.
bool uses_bias(const std::string& norm) { return norm == "instance"; }

nn::Conv2d conv(int64_t in, int64_t out, int64_t k, int64_t stride, int64_t padding, bool bias = true) {
  return nn::Conv2d(nn::Conv2dOptions(in, out, k).stride(stride).padding(padding).bias(bias));
}

}  // namespace

ResnetBlockImpl::ResnetBlockImpl(int64_t dim, bool dropout, const std::string& norm) {
  const bool bias = uses_bias(norm);
  nn::Sequential b;
  b->push_back(nn::ReflectionPad2d(1));
  b->push_back(conv(dim, dim, 3, 1, 0, bias));
  b->push_back(norm_layer(norm, dim));
  b->push_back(nn::ReLU(true));
  if (dropout) b->push_back(nn::Dropout(0.5));
  b->push_back(nn::ReflectionPad2d(1));
  b->push_back(conv(dim, dim, 3, 1, 0, bias));
  b->push_back(norm_layer(norm, dim));
  conv_block = register_module("conv_block", b);
}

torch::Tensor ResnetBlockImpl::forward(const torch::Tensor& x) { return x + conv_block->forward(x); }

ResnetGeneratorImpl::ResnetGeneratorImpl(const GeneratorOptions& o) {
  TORCH_CHECK(o.in_channels >= 1 && o.out_channels >= 1, "generator: channels must be at least 1");
  TORCH_CHECK(o.ngf >= 1 && o.blocks >= 0, "generator: ngf must be at least 1 and blocks not negative");
  const bool bias = uses_bias(o.norm);
  nn::Sequential m;
  m->push_back(nn::ReflectionPad2d(3));
  m->push_back(conv(o.in_channels, o.ngf, 7, 1, 0, bias || !o.stem_norm));
  m->push_back(o.stem_norm ? norm_layer(o.norm, o.ngf) : torch::nn::AnyModule(nn::Identity()));
  m->push_back(nn::ReLU(true));
  for (int64_t i = 0, mult = 1; i < 2; ++i, mult *= 2) {  // downsampling
    m->push_back(conv(o.ngf * mult, o.ngf * mult * 2, 3, 2, 1, bias));
    m->push_back(norm_layer(o.norm, o.ngf * mult * 2));
    m->push_back(nn::ReLU(true));
  }
  for (int64_t i = 0; i < o.blocks; ++i) m->push_back(ResnetBlock(o.ngf * 4, o.dropout, o.norm));
  for (int64_t mult = 4; mult > 1; mult /= 2) {  // upsampling
    m->push_back(nn::ConvTranspose2d(
        nn::ConvTranspose2dOptions(o.ngf * mult, o.ngf * mult / 2, 3).stride(2).padding(1).output_padding(1).bias(bias)));
    m->push_back(norm_layer(o.norm, o.ngf * mult / 2));
    m->push_back(nn::ReLU(true));
  }
  m->push_back(nn::ReflectionPad2d(3));
  m->push_back(conv(o.ngf, o.out_channels, 7, 1, 0));
  m->push_back(nn::Tanh());
  model = register_module("model", m);
  init_gan_weights(*this);
}

torch::Tensor ResnetGeneratorImpl::forward(const torch::Tensor& x) { return model->forward(x); }

PatchDiscriminatorImpl::PatchDiscriminatorImpl(const DiscriminatorOptions& o) {
  TORCH_CHECK(o.in_channels >= 1 && o.ndf >= 1 && o.layers >= 1, "discriminator: channels, ndf and layers must be at least 1");
  nn::Sequential m;
  auto leaky = [] { return nn::LeakyReLU(nn::LeakyReLUOptions().negative_slope(0.2).inplace(true)); };
  m->push_back(conv(o.in_channels, o.ndf, 4, 2, 1));
  m->push_back(leaky());
  int64_t mult = 1;
  for (int64_t n = 1; n < o.layers; ++n) {
    const int64_t prev = mult;
    mult = std::min<int64_t>(int64_t{1} << n, 8);
    m->push_back(conv(o.ndf * prev, o.ndf * mult, 4, 2, 1));
    m->push_back(instance_norm(o.ndf * mult));
    m->push_back(leaky());
  }
  const int64_t prev = mult;
  mult = std::min<int64_t>(int64_t{1} << o.layers, 8);
  m->push_back(conv(o.ndf * prev, o.ndf * mult, 4, 1, 1));
  m->push_back(instance_norm(o.ndf * mult));
  m->push_back(leaky());
  m->push_back(conv(o.ndf * mult, 1, 4, 1, 1));
  model = register_module("model", m);
  init_gan_weights(*this);
}

torch::Tensor PatchDiscriminatorImpl::forward(const torch::Tensor& x) { return model->forward(x); }

void init_gan_weights(torch::nn::Module& module) {
  torch::NoGradGuard no_grad;
  for (auto& m : module.modules(/*include_self=*/false)) {
    torch::Tensor* w = nullptr;
    torch::Tensor* b = nullptr;
    if (auto* c = m->as<nn::Conv2d>()) w = &c->weight, b = &c->bias;
    if (auto* c = m->as<nn::ConvTranspose2d>()) w = &c->weight, b = &c->bias;
    if (!w) continue;
    w->normal_(0.0, 0.02);
    if (b->defined()) b->zero_();
  }
}

}  // namespace alloyml::models
