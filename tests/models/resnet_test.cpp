#include <gtest/gtest.h>

#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include <torch/torch.h>

#include "alloyml/core/error.h"
#include "alloyml/models/registry.h"
#include "alloyml/models/resnet.h"
#include "alloyml/models/resnet_blocks.h"
#include "alloyml/nn/conv.h"
#include "alloyml/train/autocast.h"
#include "alloyml/train/precision.h"
#include "test_util.h"

using namespace alloyml::models;

namespace {

std::string key_list(torch::nn::Module& m) {
  // state_dict order: parameters and buffers of each module in registration order.
  std::ostringstream os;
  std::function<void(torch::nn::Module&, const std::string&)> walk = [&](torch::nn::Module& mod, const std::string& prefix) {
    auto print = [&](const std::string& name, const torch::Tensor& t) {
      os << prefix << name << " [";
      for (int64_t d = 0; d < t.dim(); ++d) os << (d ? ", " : "") << t.size(d);
      os << "]\n";
    };
    for (const auto& p : mod.named_parameters(false)) print(p.key(), p.value());
    for (const auto& b : mod.named_buffers(false)) print(b.key(), b.value());
    for (const auto& c : mod.named_children()) walk(*c.value(), prefix + c.key() + ".");
  };
  walk(m, "");
  return os.str();
}

std::string read_fixture(const std::string& name) {
  std::ifstream in(alloyml::testing::source_dir() + "/tests/fixtures/" + name);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

ModelOptions options(const std::string& name, int classes = 1000) {
  ModelOptions o;
  o.name = name;
  o.num_classes = classes;
  return o;
}

}  // namespace

TEST(ResNet, GoldenKeysResnet50MatchTorchvision) {
  auto m = create_model(options("resnet50"));
  const std::string golden = read_fixture("torchvision_resnet50.keys.txt");
  ASSERT_FALSE(golden.empty());
  EXPECT_EQ(key_list(*m), golden);
}

TEST(ResNet, GoldenKeysSeresnext101MatchTimm) {
  auto m = create_model(options("seresnext101_32x4d"));
  const std::string golden = read_fixture("timm_seresnext101_32x4d.keys.txt");
  ASSERT_FALSE(golden.empty());
  EXPECT_EQ(key_list(*m), golden);
}

TEST(ResNet, GoldenKeysSeresnext50MatchTimm) {
  auto m = create_model(options("seresnext50_32x4d"));
  EXPECT_EQ(key_list(*m), read_fixture("timm_seresnext50_32x4d.keys.txt"));
}

namespace {

// timm's own key list (../shared/fixtures/weights/timm_<name>.keys.txt: "name AxBxC" or "name
// scalar", in timm's order) against the model's parameters and buffers, by name and shape.
void expect_timm_keys(const std::string& name) {
  const std::string path = alloyml::testing::shared_dir() + "/fixtures/weights/timm_" + name + ".keys.txt";
  std::ifstream in(path);
  if (!in) GTEST_SKIP() << path << " is not present";
  std::set<std::string> expected, ours;
  for (std::string key, shape; in >> key >> shape;) expected.insert(key + " " + shape);
  auto m = create_model(options(name));
  auto shape_of = [](const torch::Tensor& t) {
    if (t.dim() == 0) return std::string("scalar");
    std::string s;
    for (int64_t d = 0; d < t.dim(); ++d) s += (d ? "x" : "") + std::to_string(t.size(d));
    return s;
  };
  for (const auto& p : m->named_parameters()) ours.insert(p.key() + " " + shape_of(p.value()));
  for (const auto& b : m->named_buffers()) ours.insert(b.key() + " " + shape_of(b.value()));
  EXPECT_EQ(ours, expected) << name;
}

}  // namespace

TEST(ResNet, KeysSeresnet34MatchTimm) { expect_timm_keys("seresnet34"); }
TEST(ResNet, KeysSeresnet50MatchTimm) { expect_timm_keys("seresnet50"); }
TEST(ResNet, KeysSeresnet101MatchTimm) { expect_timm_keys("seresnet101"); }

TEST(ResNet, BottleneckStrideOnConv2) {
  auto m = std::dynamic_pointer_cast<ResNetImpl>(create_model(options("resnet50")));
  auto block = m->layer2[0]->as<BottleneckImpl>();
  ASSERT_NE(block, nullptr);
  EXPECT_EQ(block->conv1->options.stride()->at(0), 1);
  EXPECT_EQ(block->conv2->options.stride()->at(0), 2);
}

TEST(ResNet, SeReductionIsRoundedToMultipleOf8) {
  EXPECT_EQ(se_reduced_channels(256), 16);
  EXPECT_EQ(se_reduced_channels(64), 8);
  EXPECT_EQ(se_reduced_channels(2048), 128);
}

TEST(ResNet, EveryRegisteredModelForwardsAndBackwards) {
  torch::manual_seed(0);
  for (const auto& name : model_registry().names()) {
    ModelOptions o = options(name, 5);
    o.in_channels = 1;
    o.width = 16;
    auto m = create_model(o);
    m->train();
    const int64_t side = name == "inception_v3" ? 96 : 64;  // Inception v3 needs at least 75 px
    const auto x = torch::randn({2, 1, side, side});
    const auto y = m->forward(x);
    ASSERT_EQ(y.sizes(), (std::vector<int64_t>{2, 5})) << name;
    EXPECT_FALSE(torch::isnan(y).any().item<bool>()) << name;
    y.sum().backward();
    for (const auto& p : m->named_parameters()) {
      if (!p.value().requires_grad()) continue;  // frozen on purpose (GoogLeNet's auxiliary heads)
      ASSERT_TRUE(p.value().grad().defined()) << name << " " << p.key();
      EXPECT_FALSE(torch::isnan(p.value().grad()).any().item<bool>()) << name << " " << p.key();
    }
    EXPECT_EQ(m->forward_features(x).size(1), m->num_features()) << name;
  }
}

TEST(ResNet, ResetClassifierChangesTheOutputs) {
  auto m = create_model(options("resnet18", 10));
  m->reset_classifier(3);
  m->eval();
  EXPECT_EQ(m->forward(torch::randn({1, 3, 64, 64})).size(1), 3);
  EXPECT_EQ(m->num_classes(), 3);
}

TEST(ResNet, MultiscaleFusesTheConfiguredStages) {
  ModelOptions o = options("multiscale_resnet50", 6);
  o.multiscale.stages = {3, 4};
  o.head.hidden = 64;
  auto m = create_model(o);
  EXPECT_EQ(m->num_features(), 1024 + 2048);
  bool has_head = false;
  for (const auto& p : m->named_parameters()) has_head |= p.key() == "head.fc1.weight";
  EXPECT_TRUE(has_head);
}

TEST(ResNet, SarsnIsSeResNetWithSaddtAndTheDenseHead) {
  ModelOptions o = options("sarsn34", 6);
  o.dropout = 0.5;
  o.head.hidden = 128;
  auto m = create_model(o);
  std::set<std::string> keys;
  for (const auto& p : m->named_parameters()) keys.insert(p.key());
  // The SE branch keeps timm's names (SE-ResNet weights load, only saddt.delta is new).
  for (const char* k : {"layer1.0.se.fc1.weight", "layer1.0.se.fc2.bias", "layer4.2.saddt.delta", "head.fc1.weight",
                        "head.fc2.weight"})
    EXPECT_EQ(keys.count(k), 1u) << k;
  EXPECT_EQ(keys.count("fc.weight"), 0u);
  auto* head = dynamic_cast<ResNetImpl*>(m.get())->head.get();
  EXPECT_EQ(head->fc1->weight.size(0), 128);
  EXPECT_TRUE(head->dropout_first);  // Fig. 1b: dropout, dense, FC
  m->eval();
  EXPECT_EQ(m->forward(torch::randn({2, 3, 64, 64})).size(1), 6);
  // The plain head on request; the shrinkage family has its own unit.
  o.head.kind = "linear";
  std::set<std::string> linear;
  for (const auto& p : create_model(o)->named_parameters()) linear.insert(p.key());
  EXPECT_EQ(linear.count("fc.weight"), 1u);
  std::set<std::string> rsn;
  for (const auto& p : create_model(options("rsn34", 6))->named_parameters()) rsn.insert(p.key());
  EXPECT_EQ(rsn.count("layer2.1.shrinkage.fc1.weight"), 1u);
  EXPECT_EQ(rsn.count("layer2.1.se.fc1.weight"), 0u);
}

TEST(ResNet, InferencePreparationKeepsTheLogits) {
  for (const char* name : {"resnet18", "resnet50", "seresnext26_32x4d", "multiscale_resnet18", "sarsn18", "rsn18"}) {
    ModelOptions o = options(name, 4);
    o.width = 16;
    torch::manual_seed(1);
    auto m = create_model(o);
    // Non-trivial batch-norm statistics, as after training.
    m->train();
    for (int i = 0; i < 3; ++i) m->forward(torch::randn({4, 3, 48, 48}) * 2 + 0.5);
    m->eval();
    const auto x = torch::randn({3, 3, 48, 48});
    torch::NoGradGuard g;
    const auto before = m->forward(x);
    const double tol = 1e-4 * before.abs().max().item<float>() + 1e-5;
    auto* resnet = dynamic_cast<ResNetImpl*>(m.get());
    ASSERT_NE(resnet, nullptr);
    // Dense folded (NCHW, then channels-last), then oneDNN-packed (SE models stay dense).
    for (auto [channels_last, onednn] : {std::pair{false, false}, {true, false}, {false, true}}) {
      m->prepare_for_inference({channels_last, onednn});
      const bool gated = std::string(name).find("se") != std::string::npos || std::string(name).find("rsn") != std::string::npos;
      EXPECT_EQ(resnet->packed(), onednn && !gated) << name;
      EXPECT_LT((before - m->forward(x)).abs().max().item<float>(), tol)
          << name << " channels_last " << channels_last << " onednn " << onednn;
    }
    // Packed in bf16 (needs AVX-512): 8 significant bits, so a looser bound.
    if (!alloyml::train::cpu_runs_onednn_bf16(alloyml::train::cpu_flags())) continue;
    m->prepare_for_inference({false, true, /*bf16=*/true});
    EXPECT_LT((before - m->forward(x)).abs().max().item<float>(), 0.05 * before.abs().max().item<float>()) << name;
  }
}

// The small-map weight gradients (conv_forward) against LibTorch's convolution backward, on the
// shapes ResNet's last two stages have at 64 px: 3x3 stride 1 on 4x4, 3x3 and 2x2, 3x3 and 1x1
// stride 2 from 4x4, 1x1 stride 1 (bottleneck) on 2x2; and larger or strided maps, which must
// stay on LibTorch's path.
TEST(ResNet, SmallMapConvolutionGradientsMatchLibTorch) {
  struct Case {
    int64_t in, out, k, stride, size;
    bool small;
    bool channels_last = false;
  };
  // Every gradient is checked against fp32 with bf16's tolerance. LibTorch's own bf16 convolution
  // is a second reference only where it runs on oneDNN with native bf16: elsewhere (AVX2-only
  // CPUs) it emulates bf16 in generic kernels, some of which sum in bf16.
  const std::string flags = alloyml::train::cpu_flags();
  const bool native = alloyml::train::cpu_has_bf16(flags) && alloyml::train::cpu_runs_onednn_bf16(flags);
  if (!native)
    std::cout << "[   NOTE   ] this CPU has no native bf16 (avx512_bf16 with avx512bw/vl/dq): the gradients are "
                 "checked against fp32 only, not against LibTorch's emulated bf16\n";
  // Small: unit-stride 3x3 up to 4x4 output (transposed convolution), anything up to 2x2
  // (columns); larger maps and strided 3x3 above 2x2 stay LibTorch's.
  // Where LibTorch has no oneDNN bf16, the small-map routes are off (their products would sum
  // in bf16: 100 % off on 3x3 maps) and conv_forward is LibTorch's convolution.
  const auto check = [&](bool libtorch_reference) {
    const bool routes = alloyml::nn::onednn_runs_bf16();
    for (const auto& c : {Case{24, 16, 3, 1, 2, true}, Case{12, 24, 3, 2, 4, true}, Case{12, 24, 1, 2, 4, true},
                          Case{32, 8, 1, 1, 2, true}, Case{16, 8, 3, 1, 4, true}, Case{8, 16, 3, 1, 3, true},
                          Case{16, 8, 3, 1, 4, true, true}, Case{8, 8, 3, 1, 8, false}, Case{8, 8, 3, 2, 10, false}}) {
      SCOPED_TRACE("k " + std::to_string(c.k) + " stride " + std::to_string(c.stride) + " size " + std::to_string(c.size) +
                   (libtorch_reference ? "" : ", fp32 reference only"));
      torch::manual_seed(3);
      torch::nn::Conv2d conv(torch::nn::Conv2dOptions(c.in, c.out, c.k).stride(c.stride).padding(c.k / 2).bias(false));
      auto x = torch::randn({5, c.in, c.size, c.size});
      if (c.channels_last) x = x.contiguous(torch::MemoryFormat::ChannelsLast);
      x.requires_grad_();
      const auto go = torch::randn_like(conv->forward(x));
      const auto grads = [&](torch::Tensor y) {
        conv->zero_grad();
        x.mutable_grad() = torch::Tensor();
        (y * go).sum().backward();
        return std::pair{x.grad().clone(), conv->weight.grad().clone()};
      };
      // fp32: LibTorch's own path.
      const auto y = conv_forward(*conv, x);
      EXPECT_EQ(std::string(y.grad_fn()->name()).find("SmallMapConv"), std::string::npos);
      const auto [rx, rw] = grads(y);
      // bf16 autocast: within bf16 rounding of fp32 on every CPU; where LibTorch's bf16 runs
      // natively, also within a few bf16 roundings of LibTorch's conv2d under the same autocast.
      torch::Tensor yb, ref;
      {
        alloyml::train::AutocastGuard autocast(true, torch::kCPU);
        yb = conv_forward(*conv, x);
        ref = conv->forward(x);
      }
      const std::string node = yb.grad_fn()->name();
      EXPECT_EQ(node.find("SmallMapConv") != std::string::npos, c.small && routes) << node;
      EXPECT_EQ(yb.scalar_type(), torch::kBFloat16);
      EXPECT_TRUE(torch::equal(yb, ref));  // the same forward kernel
      const auto [bx, bw] = grads(yb.to(torch::kFloat32));
      EXPECT_EQ(bw.scalar_type(), torch::kFloat32);
      EXPECT_LT((bw - rw).abs().max().item<float>(), 0.02 * rw.abs().max().item<float>());
      EXPECT_LT((bx - rx).abs().max().item<float>(), 0.02 * rx.abs().max().item<float>());
      if (!libtorch_reference) continue;
      const auto [lx, lw] = grads(ref.to(torch::kFloat32));
      EXPECT_TRUE(torch::allclose(bx, lx, 1e-2, 1e-3 * lx.abs().max().item<float>()));
      EXPECT_TRUE(torch::allclose(bw, lw, 1e-2, 1e-3 * lw.abs().max().item<float>())) << (bw - lw).abs().max();
    }
  };
  check(native);
  // The path of a CPU without oneDNN's bf16 (LibTorch's generic kernels), on every CPU.
  if (!std::getenv("ALLOYML_CPU_FLAGS")) {  // CPUID and /proc/cpuinfo tell the same
    EXPECT_EQ(alloyml::nn::onednn_runs_bf16(), alloyml::train::cpu_runs_onednn_bf16(flags));
  }
  {
    struct WithoutOneDnn {
      const bool was = at::globalContext().userEnabledMkldnn();
      WithoutOneDnn() { at::globalContext().setUserEnabledMkldnn(false); }
      ~WithoutOneDnn() { at::globalContext().setUserEnabledMkldnn(was); }
    } without_onednn;
    EXPECT_FALSE(alloyml::nn::onednn_runs_bf16());
    check(false);
  }
  // No gradient wanted: plain forward.
  torch::NoGradGuard no_grad;
  torch::nn::Conv2d conv(torch::nn::Conv2dOptions(4, 4, 3).padding(1).bias(false));
  EXPECT_FALSE(conv_forward(*conv, torch::randn({1, 4, 2, 2})).requires_grad());
}

TEST(ResNet, ChannelsLastMaxPoolMatchesLibTorch) {
  for (bool ceil_mode : {false, true}) {
    torch::manual_seed(4);
    const auto x = torch::randn({3, 8, 17, 16}).to(torch::kBFloat16).requires_grad_();
    const auto go = torch::randn_like(torch::max_pool2d(x, 3, 2, ceil_mode ? 0 : 1, 1, ceil_mode));
    const auto y = max_pool2d_nhwc(x, 3, 2, ceil_mode ? 0 : 1, ceil_mode);
    EXPECT_TRUE(y.is_contiguous());
    EXPECT_NE(std::string(y.grad_fn()->name()).find("NhwcMaxPool"), std::string::npos);
    const auto gx = torch::autograd::grad({y}, {x}, {go})[0];
    const auto ref = torch::max_pool2d(x, 3, 2, ceil_mode ? 0 : 1, 1, ceil_mode);
    const auto rx = torch::autograd::grad({ref}, {x}, {go})[0];
    EXPECT_TRUE(torch::equal(y, ref)) << ceil_mode;
    EXPECT_TRUE(gx.is_contiguous());
    EXPECT_TRUE(torch::equal(gx, rx)) << ceil_mode;
    torch::NoGradGuard no_grad;
    EXPECT_TRUE(torch::equal(max_pool2d_nhwc(x, 3, 2, ceil_mode ? 0 : 1, ceil_mode), ref));
  }
  // fp32 keeps LibTorch's pool.
  const auto x = torch::randn({1, 2, 8, 8}).requires_grad_();
  EXPECT_EQ(std::string(max_pool2d_nhwc(x, 3, 2, 1, false).grad_fn()->name()).find("NhwcMaxPool"), std::string::npos);
}

TEST(ResNet, TooNarrowResNeXtIsAClearError) {
  ModelOptions o = options("resnext50_32x4d", 5);
  o.width = 8;
  EXPECT_THROW(create_model(o), alloyml::InputError);
}

TEST(Registry, UnknownNameListsValidNames) {
  try {
    create_model(options("resnet5O"));
    FAIL();
  } catch (const alloyml::InputError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("did you mean 'resnet50'"), std::string::npos) << msg;
    EXPECT_NE(msg.find("seresnext101_32x4d"), std::string::npos) << msg;
  }
}
