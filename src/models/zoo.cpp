#include "alloyml/models/zoo.h"

#include <cmath>

#include "alloyml/models/baselines.h"

namespace alloyml::models {
namespace nn = torch::nn;

namespace {

struct ActImpl : TensorModule {
  enum Kind { ReLU, Hardswish, None } kind;
  explicit ActImpl(Kind k) : kind(k) {}
  torch::Tensor forward(const torch::Tensor& x) override {
    return kind == ReLU ? torch::relu(x) : kind == Hardswish ? torch::hardswish(x) : x;
  }
};

// torchvision's Conv2dNormActivation (conv without bias, batch norm, activation) as an
// nn::Sequential: keys .0 (conv) and .1 (norm), the activation at index 2 has no parameters.
struct ConvNormActImpl : nn::SequentialImpl {
  ConvNormActImpl(int64_t in, int64_t out, int64_t k, int64_t stride, int64_t groups, ActImpl::Kind act, double eps,
                  double momentum) {
    push_back(nn::Conv2d(nn::Conv2dOptions(in, out, k).stride(stride).padding((k - 1) / 2).groups(groups).bias(false)));
    push_back(alloyml::nn::BatchNorm(nn::BatchNorm2dOptions(out).eps(eps).momentum(momentum)));
    if (act != ActImpl::None) push_back(std::make_shared<ActImpl>(act));
  }
  torch::Tensor forward(torch::Tensor x) { return nn::SequentialImpl::forward(x); }
};
TORCH_MODULE(ConvNormAct);

// Inception's BasicConv2d: "conv" (no bias), "bn" (eps 0.001), ReLU.
struct BasicConvImpl : TensorModule {
  BasicConvImpl(int64_t in, int64_t out, std::array<int64_t, 2> k, std::array<int64_t, 2> pad = {0, 0}, int64_t stride = 1) {
    conv = register_module("conv", nn::Conv2d(nn::Conv2dOptions(in, out, {k[0], k[1]}).stride(stride).padding({pad[0], pad[1]}).bias(false)));
    bn = register_module("bn", alloyml::nn::BatchNorm(nn::BatchNorm2dOptions(out).eps(0.001)));
  }
  torch::Tensor forward(const torch::Tensor& x) override { return torch::relu(bn(conv(x))); }
  nn::Conv2d conv{nullptr};
  alloyml::nn::BatchNorm bn{nullptr};
};
std::shared_ptr<BasicConvImpl> basic(int64_t in, int64_t out, int64_t k, int64_t pad = 0, int64_t stride = 1) {
  return std::make_shared<BasicConvImpl>(in, out, std::array<int64_t, 2>{k, k}, std::array<int64_t, 2>{pad, pad}, stride);
}
// An asymmetric kernel (1 x k or k x 1) padded to keep the size, as Inception v3's factorised convolutions.
std::shared_ptr<BasicConvImpl> basic_hw(int64_t in, int64_t out, int64_t kh, int64_t kw) {
  return std::make_shared<BasicConvImpl>(in, out, std::array<int64_t, 2>{kh, kw}, std::array<int64_t, 2>{kh / 2, kw / 2});
}

// A chain of modules registered under their names, applied in order.
struct ChainImpl : TensorModule {
  ChainImpl& add(const std::string& name, std::shared_ptr<TensorModule> m) {
    parts.push_back(register_module(name, std::move(m)));
    return *this;
  }
  torch::Tensor forward(const torch::Tensor& x) override {
    auto y = x;
    for (auto& p : parts) y = p->forward(y);
    return y;
  }
  std::vector<std::shared_ptr<TensorModule>> parts;
};

// Branches applied to one input, each optionally after a 3x3 pool, concatenated on channels.
struct BranchesImpl : TensorModule {
  enum Pool { NoPool, AvgPool, MaxPool1Ceil, MaxPool2 };
  struct Branch {
    std::vector<std::shared_ptr<TensorModule>> chain;  ///< empty: the pool alone
    Pool pool = NoPool;
    /// Inception v3's E blocks: the chain's output goes to two convolutions whose outputs are joined.
    std::shared_ptr<TensorModule> split_a, split_b;
  };
  std::vector<Branch> branches;
  static torch::Tensor pooled(const torch::Tensor& x, Pool p) {
    switch (p) {
      case AvgPool: return torch::avg_pool2d(x, 3, 1, 1);
      case MaxPool1Ceil: return torch::max_pool2d(x, 3, 1, 1, 1, true);
      case MaxPool2: return torch::max_pool2d(x, 3, 2);
      default: return x;
    }
  }
  torch::Tensor forward(const torch::Tensor& x) override {
    std::vector<torch::Tensor> outs;
    for (auto& b : branches) {
      auto y = pooled(x, b.pool);
      for (auto& m : b.chain) y = m->forward(y);
      if (b.split_a) y = torch::cat({b.split_a->forward(y), b.split_b->forward(y)}, 1);
      outs.push_back(y);
    }
    return torch::cat(outs, 1);
  }
};

std::shared_ptr<BranchesImpl> branches() { return std::make_shared<BranchesImpl>(); }

// Adds a branch whose modules are registered under `names`.
void branch(BranchesImpl& b, BranchesImpl::Pool pool,
            std::vector<std::pair<std::string, std::shared_ptr<TensorModule>>> chain) {
  BranchesImpl::Branch br;
  br.pool = pool;
  for (auto& [name, m] : chain) br.chain.push_back(b.register_module(name, m));
  b.branches.push_back(std::move(br));
}

void init_convs_and_norms(nn::Module& m, const std::function<void(torch::Tensor&)>& conv_init) {
  torch::NoGradGuard g;
  for (auto& sub : m.modules(false)) {
    if (auto* c = sub->as<nn::Conv2d>()) {
      conv_init(c->weight);
      if (c->bias.defined()) nn::init::zeros_(c->bias);
    } else if (auto* b = sub->as<nn::BatchNorm2d>()) {
      nn::init::ones_(b->weight);
      nn::init::zeros_(b->bias);
    }
  }
}

// torchvision's trunc_normal_(std, a=-2, b=2) for GoogLeNet and Inception: the bounds are far in
// the tails at these standard deviations.
void trunc_normal(torch::Tensor& w, double std) {
  torch::NoGradGuard g;
  w.normal_(0, std).clamp_(-2, 2);
}

// torchvision's _make_divisible and timm's make_divisible (round_limit 0.9): the same rule.
int64_t make_divisible(double v, int64_t divisor) {
  int64_t n = std::max<int64_t>(divisor, static_cast<int64_t>(v + divisor / 2.0) / divisor * divisor);
  if (n < 0.9 * v) n += divisor;
  return n;
}

}  // namespace

// ---- SqueezeNet 1.1 ----------------------------------------------------------------------

namespace {
struct FireImpl : nn::Module {
  FireImpl(int64_t in, int64_t squeeze_ch, int64_t e1, int64_t e3) {
    squeeze = register_module("squeeze", nn::Conv2d(nn::Conv2dOptions(in, squeeze_ch, 1)));
    expand1x1 = register_module("expand1x1", nn::Conv2d(nn::Conv2dOptions(squeeze_ch, e1, 1)));
    expand3x3 = register_module("expand3x3", nn::Conv2d(nn::Conv2dOptions(squeeze_ch, e3, 3).padding(1)));
  }
  torch::Tensor forward(torch::Tensor x) {
    x = torch::relu(squeeze(x));
    return torch::cat({torch::relu(expand1x1(x)), torch::relu(expand3x3(x))}, 1);
  }
  nn::Conv2d squeeze{nullptr}, expand1x1{nullptr}, expand3x3{nullptr};
};
TORCH_MODULE(Fire);
struct PoolCeilImpl : nn::Module {
  torch::Tensor forward(torch::Tensor x) { return torch::max_pool2d(x, 3, 2, 0, 1, true); }
};
TORCH_MODULE(PoolCeil);
struct ReLUModuleImpl : nn::Module {
  torch::Tensor forward(torch::Tensor x) { return torch::relu(x); }
};
TORCH_MODULE(ReLUModule);
}  // namespace

SqueezeNetImpl::SqueezeNetImpl(const ModelOptions& o) : dropout_(o.dropout > 0 ? o.dropout : 0.5) {
  features_ = register_module(
      "features", nn::Sequential(nn::Conv2d(nn::Conv2dOptions(o.in_channels, 64, 3).stride(2)), ReLUModule(), PoolCeil(),
                                 Fire(64, 16, 64, 64), Fire(128, 16, 64, 64), PoolCeil(), Fire(128, 32, 128, 128),
                                 Fire(256, 32, 128, 128), PoolCeil(), Fire(256, 48, 192, 192), Fire(384, 48, 192, 192),
                                 Fire(384, 64, 256, 256), Fire(512, 64, 256, 256)));
  classifier_ = register_module("classifier", IndexedHead()).get();
  // torchvision: kaiming_uniform_ for the convolutions, zero biases; N(0, 0.01) for the final one.
  torch::NoGradGuard g;
  for (auto& sub : features_->modules(false))
    if (auto* c = sub->as<nn::Conv2d>()) {
      nn::init::kaiming_uniform_(c->weight);
      nn::init::zeros_(c->bias);
    }
  reset_classifier(o.num_classes);
}

void SqueezeNetImpl::reset_classifier(int64_t num_classes) {
  num_classes_ = num_classes;
  nn::Conv2d c(nn::Conv2dOptions(512, num_classes, 1));
  {
    torch::NoGradGuard g;
    nn::init::normal_(c->weight, 0, 0.01);
    nn::init::zeros_(c->bias);
  }
  final_conv_ = final_conv_ ? classifier_->replace_module("1", c) : classifier_->register_module("1", c);
}

torch::Tensor SqueezeNetImpl::forward_features(const torch::Tensor& x) {
  auto f = features_->forward(x);
  offer_feature_map("features", f);
  return f;
}

torch::Tensor SqueezeNetImpl::forward_head(const torch::Tensor& f) {
  auto y = torch::relu(final_conv_(torch::dropout(f, dropout_, is_training())));
  return y.mean({2, 3});
}

// ---- DenseNet121 -------------------------------------------------------------------------

namespace {
struct DenseLayerImpl : nn::Module {
  DenseLayerImpl(int64_t in, int64_t growth, int64_t bn_size) {
    norm1 = register_module("norm1", alloyml::nn::BatchNorm(in));
    conv1 = register_module("conv1", nn::Conv2d(nn::Conv2dOptions(in, bn_size * growth, 1).bias(false)));
    norm2 = register_module("norm2", alloyml::nn::BatchNorm(bn_size * growth));
    conv2 = register_module("conv2", nn::Conv2d(nn::Conv2dOptions(bn_size * growth, growth, 3).padding(1).bias(false)));
  }
  torch::Tensor forward(const torch::Tensor& x) {
    return conv2(torch::relu(norm2(conv1(torch::relu(norm1(x))))));
  }
  alloyml::nn::BatchNorm norm1{nullptr}, norm2{nullptr};
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
    norm = register_module("norm", alloyml::nn::BatchNorm(in));
    conv = register_module("conv", nn::Conv2d(nn::Conv2dOptions(in, out, 1).bias(false)));
  }
  torch::Tensor forward(torch::Tensor x) { return torch::avg_pool2d(conv(torch::relu(norm(x))), 2, 2); }
  alloyml::nn::BatchNorm norm{nullptr};
  nn::Conv2d conv{nullptr};
};
TORCH_MODULE(Transition);

}  // namespace

DenseNetImpl::DenseNetImpl(const ModelOptions& o) : dropout_(o.dropout) {
  const int64_t growth = 32, bn_size = 4;
  const int64_t blocks[] = {6, 12, 24, 16};
  features_ = register_module("features", nn::Sequential());
  // Named children in torchvision's order; the Sequential applies them in that order.
  features_->push_back("conv0", nn::Conv2d(nn::Conv2dOptions(o.in_channels, 64, 7).stride(2).padding(3).bias(false)));
  features_->push_back("norm0", alloyml::nn::BatchNorm(64));
  features_->push_back("relu0", ReLUModule());
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
  features_->push_back("norm5", alloyml::nn::BatchNorm(ch));
  num_features_ = ch;
  init_convs_and_norms(*this, [](torch::Tensor& w) { nn::init::kaiming_normal_(w); });
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
  return torch::dropout(torch::relu(f).mean({2, 3}), dropout_, is_training());
}

// ---- MobileNetV3 -------------------------------------------------------------------------

namespace {
struct SqueezeExcitationImpl : TensorModule {
  SqueezeExcitationImpl(int64_t ch, int64_t squeeze) {
    fc1 = register_module("fc1", nn::Conv2d(nn::Conv2dOptions(ch, squeeze, 1)));
    fc2 = register_module("fc2", nn::Conv2d(nn::Conv2dOptions(squeeze, ch, 1)));
  }
  torch::Tensor forward(const torch::Tensor& x) override {
    auto s = torch::hardsigmoid(fc2(torch::relu(fc1(x.mean({2, 3}, true)))));
    return x * s;
  }
  nn::Conv2d fc1{nullptr}, fc2{nullptr};
};

struct V3BlockImpl : nn::Module {
  // (input, kernel, expanded, out, SE, hard-swish, stride), as torchvision's InvertedResidualConfig.
  V3BlockImpl(int64_t in, int64_t k, int64_t exp, int64_t out, bool se, bool hs, int64_t stride)
      : residual(stride == 1 && in == out) {
    const auto act = hs ? ActImpl::Hardswish : ActImpl::ReLU;
    block = register_module("block", nn::Sequential());
    if (exp != in) block->push_back(ConvNormAct(in, exp, 1, 1, 1, act, 0.001, 0.01));
    block->push_back(ConvNormAct(exp, exp, k, stride, exp, act, 0.001, 0.01));
    if (se) block->push_back(std::make_shared<SqueezeExcitationImpl>(exp, make_divisible(static_cast<double>(exp / 4), 8)));
    block->push_back(ConvNormAct(exp, out, 1, 1, 1, ActImpl::None, 0.001, 0.01));
  }
  torch::Tensor forward(torch::Tensor x) { return residual ? x + block->forward(x) : block->forward(x); }
  nn::Sequential block{nullptr};
  bool residual;
};
TORCH_MODULE(V3Block);
}  // namespace

MobileNetV3Impl::MobileNetV3Impl(const ModelOptions& o, bool large) : dropout_(o.dropout > 0 ? o.dropout : 0.2) {
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
  features_->push_back(ConvNormAct(o.in_channels, 16, 3, 2, 1, ActImpl::Hardswish, 0.001, 0.01));
  for (const auto& c : cfg) features_->push_back(V3Block(c.in, c.k, c.exp, c.out, c.se, c.hs, c.stride));
  const int64_t last_in = cfg.back().out, last_out = 6 * last_in;
  features_->push_back(ConvNormAct(last_in, last_out, 1, 1, 1, ActImpl::Hardswish, 0.001, 0.01));
  last_channel_ = large ? 1280 : 1024;
  classifier_ = register_module("classifier", IndexedHead()).get();
  fc0_ = classifier_->register_module("0", nn::Linear(last_out, last_channel_));
  init_convs_and_norms(*this, [](torch::Tensor& w) { nn::init::kaiming_normal_(w, 0.0, torch::kFanOut); });
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
  auto y = torch::hardswish(fc0_(f.mean({2, 3})));
  return torch::dropout(y, dropout_, is_training());
}

// ---- GoogLeNet and Inception v3 ------------------------------------------------------------

namespace {
// GoogLeNet's Inception module (torchvision's, whose "5x5" branch is a 3x3 convolution).
std::shared_ptr<TensorModule> googlenet_inception(int64_t in, int64_t c1, int64_t c3r, int64_t c3, int64_t c5r, int64_t c5,
                                                  int64_t pool_proj) {
  auto b = branches();
  using P = BranchesImpl;
  branch(*b, P::NoPool, {{"branch1", basic(in, c1, 1)}});
  auto b2 = std::make_shared<ChainImpl>();
  b2->add("0", basic(in, c3r, 1)).add("1", basic(c3r, c3, 3, 1));
  auto b3 = std::make_shared<ChainImpl>();
  b3->add("0", basic(in, c5r, 1)).add("1", basic(c5r, c5, 3, 1));
  auto b4 = std::make_shared<ChainImpl>();  // index 0 is the (parameter-free) max-pool
  b4->add("1", basic(in, pool_proj, 1));
  branch(*b, P::NoPool, {{"branch2", b2}});
  branch(*b, P::NoPool, {{"branch3", b3}});
  branch(*b, P::MaxPool1Ceil, {{"branch4", b4}});
  return b;
}

struct GoogLeNetAuxImpl : TensorModule {
  GoogLeNetAuxImpl(int64_t in, int64_t classes) {
    conv = register_module("conv", basic(in, 128, 1));
    fc1 = register_module("fc1", nn::Linear(2048, 1024));
    fc2 = register_module("fc2", nn::Linear(1024, classes));
  }
  torch::Tensor forward(const torch::Tensor& x) override {  // not called (no auxiliary loss)
    auto y = conv->forward(torch::adaptive_avg_pool2d(x, {4, 4})).flatten(1);
    return fc2(torch::dropout(torch::relu(fc1(y)), 0.7, is_training()));
  }
  std::shared_ptr<BasicConvImpl> conv;
  nn::Linear fc1{nullptr}, fc2{nullptr};
};

struct InceptionV3AuxImpl : TensorModule {
  InceptionV3AuxImpl(int64_t in, int64_t classes) {
    conv0 = register_module("conv0", basic(in, 128, 1));
    conv1 = register_module("conv1", basic(128, 768, 5));
    fc = register_module("fc", nn::Linear(768, classes));
  }
  torch::Tensor forward(const torch::Tensor& x) override {  // not called (no auxiliary loss)
    auto y = conv1->forward(conv0->forward(torch::avg_pool2d(x, 5, 3)));
    return fc(torch::adaptive_avg_pool2d(y, {1, 1}).flatten(1));
  }
  std::shared_ptr<BasicConvImpl> conv0, conv1;
  nn::Linear fc{nullptr};
};

std::shared_ptr<TensorModule> inception_a(int64_t in, int64_t pool_features) {
  auto b = branches();
  using P = BranchesImpl;
  branch(*b, P::NoPool, {{"branch1x1", basic(in, 64, 1)}});
  branch(*b, P::NoPool, {{"branch5x5_1", basic(in, 48, 1)}, {"branch5x5_2", basic(48, 64, 5, 2)}});
  branch(*b, P::NoPool, {{"branch3x3dbl_1", basic(in, 64, 1)}, {"branch3x3dbl_2", basic(64, 96, 3, 1)},
                         {"branch3x3dbl_3", basic(96, 96, 3, 1)}});
  branch(*b, P::AvgPool, {{"branch_pool", basic(in, pool_features, 1)}});
  return b;
}

std::shared_ptr<TensorModule> inception_b(int64_t in) {
  auto b = branches();
  using P = BranchesImpl;
  branch(*b, P::NoPool, {{"branch3x3", basic(in, 384, 3, 0, 2)}});
  branch(*b, P::NoPool, {{"branch3x3dbl_1", basic(in, 64, 1)}, {"branch3x3dbl_2", basic(64, 96, 3, 1)},
                         {"branch3x3dbl_3", basic(96, 96, 3, 0, 2)}});
  branch(*b, P::MaxPool2, {});
  return b;
}

std::shared_ptr<TensorModule> inception_c(int64_t in, int64_t c7) {
  auto b = branches();
  using P = BranchesImpl;
  branch(*b, P::NoPool, {{"branch1x1", basic(in, 192, 1)}});
  branch(*b, P::NoPool, {{"branch7x7_1", basic(in, c7, 1)}, {"branch7x7_2", basic_hw(c7, c7, 1, 7)}, {"branch7x7_3", basic_hw(c7, 192, 7, 1)}});
  branch(*b, P::NoPool, {{"branch7x7dbl_1", basic(in, c7, 1)}, {"branch7x7dbl_2", basic_hw(c7, c7, 7, 1)},
                         {"branch7x7dbl_3", basic_hw(c7, c7, 1, 7)}, {"branch7x7dbl_4", basic_hw(c7, c7, 7, 1)},
                         {"branch7x7dbl_5", basic_hw(c7, 192, 1, 7)}});
  branch(*b, P::AvgPool, {{"branch_pool", basic(in, 192, 1)}});
  return b;
}

std::shared_ptr<TensorModule> inception_d(int64_t in) {
  auto b = branches();
  using P = BranchesImpl;
  branch(*b, P::NoPool, {{"branch3x3_1", basic(in, 192, 1)}, {"branch3x3_2", basic(192, 320, 3, 0, 2)}});
  branch(*b, P::NoPool, {{"branch7x7x3_1", basic(in, 192, 1)}, {"branch7x7x3_2", basic_hw(192, 192, 1, 7)},
                         {"branch7x7x3_3", basic_hw(192, 192, 7, 1)}, {"branch7x7x3_4", basic(192, 192, 3, 0, 2)}});
  branch(*b, P::MaxPool2, {});
  return b;
}

std::shared_ptr<TensorModule> inception_e(int64_t in) {
  auto b = branches();
  using P = BranchesImpl;
  branch(*b, P::NoPool, {{"branch1x1", basic(in, 320, 1)}});
  branch(*b, P::NoPool, {{"branch3x3_1", basic(in, 384, 1)}});
  b->branches.back().split_a = b->register_module("branch3x3_2a", basic_hw(384, 384, 1, 3));
  b->branches.back().split_b = b->register_module("branch3x3_2b", basic_hw(384, 384, 3, 1));
  branch(*b, P::NoPool, {{"branch3x3dbl_1", basic(in, 448, 1)}, {"branch3x3dbl_2", basic(448, 384, 3, 1)}});
  b->branches.back().split_a = b->register_module("branch3x3dbl_3a", basic_hw(384, 384, 1, 3));
  b->branches.back().split_b = b->register_module("branch3x3dbl_3b", basic_hw(384, 384, 3, 1));
  branch(*b, P::AvgPool, {{"branch_pool", basic(in, 192, 1)}});
  return b;
}
}  // namespace

GoogLeNetImpl::GoogLeNetImpl(const ModelOptions& o, bool inception_v3) : v3_(inception_v3) {
  auto add = [&](const std::string& name, std::shared_ptr<TensorModule> m) {
    steps_.push_back({register_module(name, std::move(m))});
  };
  auto pool = [&](int k, int s, bool ceil) { steps_.push_back({nullptr, k, s, ceil}); };
  const int64_t classes = o.num_classes;
  if (!v3_) {
    dropout_ = o.dropout > 0 ? o.dropout : 0.2;
    add("conv1", basic(o.in_channels, 64, 7, 3, 2));
    pool(3, 2, true);
    add("conv2", basic(64, 64, 1));
    add("conv3", basic(64, 192, 3, 1));
    pool(3, 2, true);
    add("inception3a", googlenet_inception(192, 64, 96, 128, 16, 32, 32));
    add("inception3b", googlenet_inception(256, 128, 128, 192, 32, 96, 64));
    pool(3, 2, true);
    add("inception4a", googlenet_inception(480, 192, 96, 208, 16, 48, 64));
    add("inception4b", googlenet_inception(512, 160, 112, 224, 24, 64, 64));
    add("inception4c", googlenet_inception(512, 128, 128, 256, 24, 64, 64));
    add("inception4d", googlenet_inception(512, 112, 144, 288, 32, 64, 64));
    add("inception4e", googlenet_inception(528, 256, 160, 320, 32, 128, 128));
    pool(2, 2, true);
    add("inception5a", googlenet_inception(832, 256, 160, 320, 32, 128, 128));
    add("inception5b", googlenet_inception(832, 384, 192, 384, 48, 128, 128));
    auto a1 = register_module("aux1", std::make_shared<GoogLeNetAuxImpl>(512, classes));
    auto a2 = register_module("aux2", std::make_shared<GoogLeNetAuxImpl>(528, classes));
    aux_heads_ = {{a1.get(), "fc2", 1024}, {a2.get(), "fc2", 1024}};
    num_features_ = 1024;
  } else {
    dropout_ = o.dropout > 0 ? o.dropout : 0.5;
    add("Conv2d_1a_3x3", basic(o.in_channels, 32, 3, 0, 2));
    add("Conv2d_2a_3x3", basic(32, 32, 3));
    add("Conv2d_2b_3x3", basic(32, 64, 3, 1));
    pool(3, 2, false);
    add("Conv2d_3b_1x1", basic(64, 80, 1));
    add("Conv2d_4a_3x3", basic(80, 192, 3));
    pool(3, 2, false);
    add("Mixed_5b", inception_a(192, 32));
    add("Mixed_5c", inception_a(256, 64));
    add("Mixed_5d", inception_a(288, 64));
    add("Mixed_6a", inception_b(288));
    add("Mixed_6b", inception_c(768, 128));
    add("Mixed_6c", inception_c(768, 160));
    add("Mixed_6d", inception_c(768, 160));
    add("Mixed_6e", inception_c(768, 192));
    auto aux = register_module("AuxLogits", std::make_shared<InceptionV3AuxImpl>(768, classes));
    aux_heads_ = {{aux.get(), "fc", 768}};
    add("Mixed_7a", inception_d(768));
    add("Mixed_7b", inception_e(1280));
    add("Mixed_7c", inception_e(2048));
    num_features_ = 2048;
  }
  // torchvision: truncated normal (std 0.01 for GoogLeNet; 0.1 for Inception v3, whose auxiliary
  // head uses 0.01 and 0.001), batch norm 1 and 0.
  init_convs_and_norms(*this, [&](torch::Tensor& w) { trunc_normal(w, v3_ ? 0.1 : 0.01); });
  reset_classifier(classes);
}

std::vector<std::string> GoogLeNetImpl::classifier_prefixes() const {
  return v3_ ? std::vector<std::string>{"fc.", "AuxLogits.fc."} : std::vector<std::string>{"fc.", "aux1.fc2.", "aux2.fc2."};
}

std::string GoogLeNetImpl::stem_weight_name() const { return v3_ ? "Conv2d_1a_3x3.conv.weight" : "conv1.conv.weight"; }

void GoogLeNetImpl::reset_classifier(int64_t num_classes) {
  num_classes_ = num_classes;
  auto make = [&](int64_t in) {
    nn::Linear l(in, num_classes);
    trunc_normal(l->weight, v3_ ? (in == 768 ? 0.001 : 0.1) : 0.01);
    torch::NoGradGuard g;
    nn::init::zeros_(l->bias);
    return l;
  };
  for (auto& a : aux_heads_) {
    a.owner->replace_module(a.child, make(a.in_features));
    // Kept only so that torchvision's files load strictly: frozen, so they take no optimiser
    // steps and no weight decay (there is no auxiliary loss to train them).
    for (auto& p : a.owner->parameters()) p.set_requires_grad(false);
  }
  fc_ = fc_ ? replace_module("fc", make(num_features_)) : register_module("fc", make(num_features_));
}

torch::Tensor GoogLeNetImpl::forward_features(const torch::Tensor& x) {
  auto y = x;
  for (auto& s : steps_)
    y = s.module ? s.module->forward(y) : torch::max_pool2d(y, s.pool_kernel, s.pool_stride, 0, 1, s.ceil);
  offer_feature_map(v3_ ? "Mixed_7c" : "inception5b", y);
  return torch::dropout(y.mean({2, 3}), dropout_, is_training());
}

}  // namespace alloyml::models

namespace alloyml::models {

// ---- Res2Net (timm) -------------------------------------------------------------------------

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
    : dropout_(o.dropout) {
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
  init_convs_and_norms(*this, [](torch::Tensor& w) { nn::init::kaiming_normal_(w, 0.0, torch::kFanOut, torch::kReLU); });
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
  return torch::dropout(y.mean({2, 3}), dropout_, is_training());
}

// ---- GhostNet (timm, version 1) ----------------------------------------------------------------

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
    if (se_ratio > 0) se = register_module("se", GhostSE(mid, make_divisible(mid * se_ratio, 4)));
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

// A stage of blocks: a Sequential that can sit in another (LibTorch needs a plain forward).
struct StageImpl : nn::SequentialImpl {
  torch::Tensor forward(torch::Tensor x) { return nn::SequentialImpl::forward(x); }
};
TORCH_MODULE(Stage);
}  // namespace

GhostNetImpl::GhostNetImpl(const ModelOptions& o, double width) : dropout_(o.dropout > 0 ? o.dropout : 0.2) {
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
  const int64_t stem = make_divisible(16 * width, 4);
  conv_stem_ = register_module("conv_stem", nn::Conv2d(nn::Conv2dOptions(o.in_channels, stem, 3).stride(2).padding(1).bias(false)));
  bn1_ = register_module("bn1", alloyml::nn::BatchNorm(stem));
  blocks_ = register_module("blocks", nn::Sequential());
  int64_t prev = stem, last_exp = 0;
  for (const auto& stage : stages) {
    Stage s;
    for (const auto& c : stage) {
      const int64_t out = make_divisible(c.out * width, 4), mid = make_divisible(c.exp * width, 4);
      s->push_back(GhostBottleneck(prev, mid, out, c.k, c.stride, c.se));
      prev = out;
      last_exp = c.exp;
    }
    blocks_->push_back(s);
  }
  const int64_t out = make_divisible(last_exp * width, 4);
  Stage head;
  head->push_back(ConvBnReLU(prev, out));
  blocks_->push_back(head);
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
  y = torch::relu(conv_head_(y.mean({2, 3}, true))).flatten(1);
  return torch::dropout(y, dropout_, is_training());
}

}  // namespace alloyml::models
