// Loading weights into alloyml's networks: another class count, other input channels, strict
// loading's messages, name profiles (no Python peer needed; the parity tests are in load_test.cpp).
#include <gtest/gtest.h>

#include <algorithm>

#include <torch/torch.h>

#include "alloyml/core/error.h"
#include "alloyml/models/registry.h"
#include "alloyml/models/resnet.h"
#include "alloyml/weights/load.h"

using namespace alloyml;

namespace {

// A small ResNet for the loading tests.
models::Classifier small(const std::string& name, int classes, int in_channels = 3) {
  models::ModelOptions o;
  o.name = name;
  o.num_classes = classes;
  o.width = 16;
  o.in_channels = in_channels;
  return models::create_model(o);
}

}  // namespace

TEST(WeightLoad, OtherClassCountReinitialisesTheHeadOnly) {
  auto source = small("resnet18", 10);
  auto target = small("resnet18", 3);
  const auto r = weights::load_state_dict(*target, weights::state_dict_of(*source), {}, "x");
  EXPECT_EQ(r.reinitialised, (std::vector<std::string>{"fc.weight", "fc.bias"}));
  auto src = std::dynamic_pointer_cast<models::ResNetImpl>(source);
  auto dst = std::dynamic_pointer_cast<models::ResNetImpl>(target);
  EXPECT_TRUE(torch::equal(src->layer4->parameters()[0], dst->layer4->parameters()[0]));
}

// Transfer learning on the zoo's networks: a 1-channel, 4-class target takes everything but the
// heads (the auxiliary ones too) and the stem, which it adapts.
TEST(WeightLoad, ZooNetworksReinitialiseEveryHeadAndAdaptTheStem) {
  const std::vector<std::pair<std::string, std::vector<std::string>>> cases{
      {"googlenet", {"aux1.fc2.weight", "aux1.fc2.bias", "aux2.fc2.weight", "aux2.fc2.bias", "fc.weight", "fc.bias"}},
      {"squeezenet1_1", {"classifier.1.weight", "classifier.1.bias"}},
      {"mobilenet_v3_small", {"classifier.3.weight", "classifier.3.bias"}},
      {"densenet121", {"classifier.weight", "classifier.bias"}}};
  for (const auto& [arch, heads] : cases) {
    models::ModelOptions o;
    o.name = arch;
    o.num_classes = 10;
    auto source = models::create_model(o);
    o.num_classes = 4;
    o.in_channels = 1;
    auto target = models::create_model(o);
    const auto r = weights::load_state_dict(*target, weights::state_dict_of(*source), {}, arch);
    auto got = r.reinitialised;
    auto want = heads;
    std::sort(got.begin(), got.end());
    std::sort(want.begin(), want.end());
    EXPECT_EQ(got, want) << arch;
    EXPECT_EQ(r.adapted, (std::vector<std::string>{target->stem_weight_name()})) << arch;
    torch::NoGradGuard g;
    target->eval();
    EXPECT_EQ(target->forward(torch::randn({1, 1, 96, 96})).sizes(), (std::vector<int64_t>{1, 4})) << arch;
  }
}

TEST(WeightLoad, OneChannelStemSumsTheRgbFilters) {
  auto rgb = small("resnet18", 4);
  auto gray = small("resnet18", 4, 1);
  const auto r = weights::load_state_dict(*gray, weights::state_dict_of(*rgb), {}, "x");
  EXPECT_EQ(r.adapted, (std::vector<std::string>{"conv1.weight"}));
  auto a = std::dynamic_pointer_cast<models::ResNetImpl>(rgb)->conv1->weight.sum(1, true);
  EXPECT_TRUE(torch::allclose(std::dynamic_pointer_cast<models::ResNetImpl>(gray)->conv1->weight, a));
}

TEST(WeightLoad, FiveChannelStemRepeatsAndScalesTheRgbFilters) {
  // A composition image of the gfa task has 1 + properties channels: timm's adapt_input_conv.
  auto rgb = small("resnet18", 4);
  auto five = small("resnet18", 4, 5);
  const auto r = weights::load_state_dict(*five, weights::state_dict_of(*rgb), {}, "x");
  EXPECT_EQ(r.adapted, (std::vector<std::string>{"conv1.weight"}));
  const auto w = std::dynamic_pointer_cast<models::ResNetImpl>(rgb)->conv1->weight;
  const auto got = std::dynamic_pointer_cast<models::ResNetImpl>(five)->conv1->weight;
  ASSERT_EQ(got.size(1), 5);
  for (int64_t c = 0; c < 5; ++c) EXPECT_TRUE(torch::allclose(got.select(1, c), w.select(1, c % 3) * 0.6)) << c;
}

TEST(WeightLoad, StrictLoadNamesWrongShapesAndUnexpectedKeys) {
  auto a = small("resnet18", 4);
  auto b = small("resnet34", 4);
  try {
    weights::load_state_dict(*a, weights::state_dict_of(*b), {}, "resnet34.pth");
    FAIL();
  } catch (const InputError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("resnet34.pth"), std::string::npos);
    EXPECT_NE(msg.find("unexpected in the file"), std::string::npos) << msg;
    EXPECT_NE(msg.find("layer1.2.conv1.weight"), std::string::npos) << msg;
  }
  weights::LoadOptions partial;
  partial.allow_partial = true;
  const auto r = weights::load_state_dict(*a, weights::state_dict_of(*b), partial, "resnet34.pth");
  EXPECT_GT(r.loaded, 50u);
  EXPECT_FALSE(r.unexpected.empty());
}

TEST(WeightLoad, CadeneNamesMapToOurs) {
  weights::StateDict s{{"layer0.conv1.weight", torch::zeros({1})},
                       {"layer1.0.se_module.fc1.weight", torch::zeros({1})},
                       {"last_linear.bias", torch::zeros({1})}};
  EXPECT_EQ(weights::detect_profile(s), "cadene");
  const auto r = weights::to_alloyml_names(s, "cadene");
  EXPECT_EQ(r[0].first, "conv1.weight");
  EXPECT_EQ(r[1].first, "layer1.0.se.fc1.weight");
  EXPECT_EQ(r[2].first, "fc.bias");
}
