// CycleGAN's networks, losses and image pool (Zhu et al. 2017, as their public code).
#include <gtest/gtest.h>

#include <set>

#include <torch/torch.h>

#include "alloyml/losses/gan.h"
#include "alloyml/losses/regression.h"
#include "alloyml/models/cyclegan.h"
#include "alloyml/models/registry.h"
#include "alloyml/train/image_pool.h"

using namespace alloyml;
using namespace alloyml::models;

namespace {
std::set<std::string> parameter_names(const torch::nn::Module& m) {
  std::set<std::string> keys;
  for (const auto& p : m.named_parameters()) keys.insert(p.key());
  return keys;
}
}  // namespace

TEST(CycleGan, GeneratorKeepsTheImageSizeAndChannels) {
  GeneratorOptions o;
  o.in_channels = 1;
  o.out_channels = 1;
  o.ngf = 8;
  o.blocks = 2;
  auto g = std::dynamic_pointer_cast<ResnetGeneratorImpl>(model_registry().create_network("resnet_generator", Role::Generator, o));
  ASSERT_TRUE(g);
  const auto y = g->forward(torch::randn({2, 1, 64, 64}));
  EXPECT_EQ(y.sizes(), (std::vector<int64_t>{2, 1, 64, 64}));
  EXPECT_LE(y.abs().max().item<double>(), 1.0);  // tanh
  // The reference code's parameter names: model.1 (stem), model.10.conv_block.1 (first block).
  const auto keys = parameter_names(*g);
  for (const char* k : {"model.1.weight", "model.4.weight", "model.10.conv_block.1.weight", "model.10.conv_block.5.bias"})
    EXPECT_EQ(keys.count(k), 1u) << k;
}

TEST(CycleGan, NineBlockGeneratorHasTheReferenceLayout) {
  auto g = ResnetGenerator(GeneratorOptions{});
  const auto keys = parameter_names(*g);
  // 4 stem entries, 6 downsampling, 9 blocks (10..18), 6 upsampling, pad, conv 26, tanh.
  EXPECT_EQ(keys.count("model.18.conv_block.5.weight"), 1u);
  EXPECT_EQ(keys.count("model.19.weight"), 1u);  // first transposed convolution
  EXPECT_EQ(keys.count("model.26.weight"), 1u);  // last convolution
  EXPECT_EQ(g->model[19]->as<torch::nn::ConvTranspose2d>()->weight.size(0), 256);
}

// Instance norm straight after the stem's linear convolution removes each channel's mean and
// scale, so a grey image and any brighter or flatter copy of it (a x + b, a > 0) give the same
// output: the generator cannot map a camera's gamma or contrast. Without the stem's norm, or
// with batch norm, they differ.
TEST(CycleGan, InstanceNormStemHidesAGreyImagesBrightnessAndContrast) {
  auto difference = [](GeneratorOptions o) {
    o.in_channels = o.out_channels = 1;
    o.ngf = 8;
    o.blocks = 1;
    torch::manual_seed(3);
    auto g = ResnetGenerator(o);
    torch::NoGradGuard no_grad;
    for (auto& p : g->parameters())  // weights of a trained scale (the initial 0.02 leaves little through)
      if (p.dim() == 4) p.normal_(0.0, std::sqrt(2.0 / static_cast<double>(p.size(1) * p.size(2) * p.size(3))));
    for (int i = 0; i < 30; ++i) g->forward(torch::rand({4, 1, 32, 32}) - 0.5);  // batch norm's running statistics
    g->eval();  // batch norm: the running statistics, as when translating
    const auto x = torch::rand({1, 1, 32, 32}) - 0.5;
    return (g->forward(x) - g->forward(0.4 * x + 0.3)).abs().max().item<double>();
  };
  GeneratorOptions bare_stem, batch;
  bare_stem.stem_norm = false;
  batch.norm = "batch";
  const double reference = difference(GeneratorOptions{}), bare = difference(bare_stem), batched = difference(batch);
  // Only instance norm's epsilon (1e-5 against the stem's variance) separates the reference's two.
  EXPECT_LT(reference, 2e-3);
  EXPECT_GT(bare, 50 * reference);
  EXPECT_GT(batched, 50 * reference);
  std::printf("largest output change: instance %.2g, bare stem %.2g, batch %.2g\n", reference, bare, batched);
}

TEST(CycleGan, OtherNormsKeepTheReferenceNames) {
  GeneratorOptions o;
  o.blocks = 1;
  o.norm = "batch";  // the reference's --norm batch: affine norms, convolutions without bias
  auto keys = parameter_names(*ResnetGenerator(o));
  for (const char* k : {"model.1.weight", "model.2.weight", "model.10.conv_block.2.bias", "model.11.weight"})
    EXPECT_EQ(keys.count(k), 1u) << k;
  EXPECT_EQ(keys.count("model.1.bias"), 0u);
  o.norm = "instance";
  o.stem_norm = false;  // the stem keeps its bias; its norm's place stays an (empty) module
  keys = parameter_names(*ResnetGenerator(o));
  EXPECT_EQ(keys.count("model.1.bias"), 1u);
  EXPECT_EQ(keys.count("model.4.weight"), 1u);
  o.norm = "group";
  EXPECT_THROW(ResnetGenerator{o}, c10::Error);
}

TEST(CycleGan, PatchGanGives30x30PatchesOn256PxWithA70PxReceptiveField) {
  auto d = PatchDiscriminator(DiscriminatorOptions{});
  const auto out = d->forward(torch::zeros({1, 3, 256, 256}));
  EXPECT_EQ(out.sizes(), (std::vector<int64_t>{1, 1, 30, 30}));
  // Receptive field of one patch from the convolutions' kernels and strides (instance norm
  // mixes every position into every output, so a gradient would light up the whole image).
  int64_t field = 1, jump = 1;
  for (const auto& m : d->model->children())
    if (auto* c = m->as<torch::nn::Conv2d>()) {
      field += (c->options.kernel_size()->at(0) - 1) * jump;
      jump *= c->options.stride()->at(0);
    }
  EXPECT_EQ(field, 70);
}

TEST(CycleGan, InitialisationIsNormalWithSd002) {
  auto g = ResnetGenerator(GeneratorOptions{});
  const auto w = g->model[10]->as<ResnetBlockImpl>()->conv_block[1]->as<torch::nn::Conv2d>()->weight;
  EXPECT_NEAR(w.std().item<double>(), 0.02, 0.001);
  EXPECT_NEAR(w.mean().item<double>(), 0.0, 0.001);
}

TEST(CycleGan, LossesByHand) {
  const auto d = torch::tensor({0.5, 1.5, -1.0, 1.0});
  // Real: ((−0.5)^2 + 0.5^2 + (−2)^2 + 0) / 4; fake: (0.25 + 2.25 + 1 + 1) / 4.
  EXPECT_NEAR(losses::lsgan_loss(d, true).item<double>(), (0.25 + 0.25 + 4.0) / 4, 1e-6);
  EXPECT_NEAR(losses::lsgan_loss(d, false).item<double>(), (0.25 + 2.25 + 1.0 + 1.0) / 4, 1e-6);
  // Cycle / identity: mean |a - b|.
  EXPECT_NEAR(losses::pointwise_regression_loss("l1", torch::tensor({1.0, -1.0, 0.5}), torch::tensor({0.0, 1.0, 0.5}), 0.0).mean().item<double>(), 1.0, 1e-6);
}

TEST(CycleGan, ImagePoolFillsThenReturnsStoredImagesHalfTheTime) {
  train::ImagePool pool(4);
  auto gen = at::detail::createCPUGenerator(7);
  // Filling: the new images come back as they are.
  const auto first = torch::arange(4, torch::kFloat).view({4, 1, 1, 1});
  EXPECT_TRUE(torch::equal(pool.query(first, gen), first));
  EXPECT_EQ(pool.size(), 4);
  // Full: each new image (value >= 100) is swapped for a stored one with probability 1/2.
  int older = 0, n = 0;
  for (int round = 0; round < 500; ++round) {
    const auto fresh = torch::full({2, 1, 1, 1}, 100.0f + round);
    const auto out = pool.query(fresh, gen);
    for (int64_t i = 0; i < 2; ++i, ++n) older += out[i].item<float>() != 100.0f + round;
    EXPECT_EQ(pool.size(), 4);
  }
  EXPECT_NEAR(static_cast<double>(older) / n, 0.5, 0.05);
  // A pool of size 0 passes everything through.
  train::ImagePool none(0);
  EXPECT_TRUE(torch::equal(none.query(first, gen), first));
}
