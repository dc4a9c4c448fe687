// Parity with the Python reference: weights saved by torchvision (made on the fly with Debian's
// python3-torchvision) and by timm (a fixture in ../shared) give the same logits in alloyml.
#include <algorithm>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <torch/torch.h>

#include "alloyml/core/error.h"
#include "alloyml/models/registry.h"
#include "alloyml/models/res2net.h"
#include "alloyml/models/resnet.h"
#include "alloyml/weights/load.h"
#include "test_util.h"

using namespace alloyml;
namespace tu = alloyml::testing;

namespace {

torch::Tensor read_f32(const std::string& path, std::vector<int64_t> shape) {
  std::ifstream in(path, std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto t = torch::empty(shape, torch::kFloat32);
  EXPECT_EQ(bytes.size(), static_cast<size_t>(t.numel()) * 4) << path;
  std::memcpy(t.data_ptr<float>(), bytes.data(), std::min(bytes.size(), static_cast<size_t>(t.numel()) * 4));
  return t;
}

bool python_torchvision_available() {
  static const bool ok = std::system("/usr/bin/python3 -c 'import torchvision' > /dev/null 2>&1") == 0;
  return ok;
}

// Max |difference| relative to the largest |logit|.
double relative_error(const torch::Tensor& a, const torch::Tensor& b) {
  return (a - b).abs().max().item<double>() / std::max(1e-12, b.abs().max().item<double>());
}

void expect_torchvision_parity(const std::string& arch) {
  if (!python_torchvision_available()) GTEST_SKIP() << "python3-torchvision is not installed (scripts/setup.sh --peers)";
  tu::TempDir dir;
  const std::string cmd = "/usr/bin/python3 " + tu::source_dir() + "/tests/weights/make_reference.py " + dir.str() +
                          " model " + arch + " > " + (dir / "size.txt");
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  int size = 0;
  std::ifstream(dir / "size.txt") >> size;
  models::ModelOptions o;
  o.name = arch;
  o.num_classes = 10;
  auto model = models::create_model(o);
  const auto file = weights::read_state_dict(dir / (arch + ".pth"));
  // Same names in the same order as torchvision's state_dict().
  std::vector<std::string> ours, theirs;
  for (const auto& [k, v] : weights::state_dict_of(*model)) ours.push_back(k);
  for (const auto& [k, v] : file) theirs.push_back(k);
  EXPECT_EQ(ours, theirs);
  const auto report = weights::load_state_dict(*model, file, {}, arch);
  EXPECT_EQ(report.profile, "torchvision");
  EXPECT_TRUE(report.reinitialised.empty());
  const auto x = read_f32(dir / (arch + ".input.f32"), {2, 3, size, size});
  const auto expected = read_f32(dir / (arch + ".logits.f32"), {2, 10});
  model->eval();
  torch::NoGradGuard g;
  EXPECT_LE(relative_error(model->forward(x), expected), 1e-4) << arch;
  model->prepare_for_inference({/*channels_last=*/true, /*onednn=*/false});
  EXPECT_LE(relative_error(model->forward(x), expected), 1e-4) << arch << " (folded, channels-last)";
  model->prepare_for_inference({});
  EXPECT_LE(relative_error(model->forward(x), expected), 1e-4) << arch << " (folded, oneDNN-packed)";
}

}  // namespace

TEST(WeightParity, TorchvisionResnet18) { expect_torchvision_parity("resnet18"); }
TEST(WeightParity, TorchvisionResnet34) { expect_torchvision_parity("resnet34"); }
TEST(WeightParity, TorchvisionResnet50) { expect_torchvision_parity("resnet50"); }
TEST(WeightParity, TorchvisionResnext50) { expect_torchvision_parity("resnext50_32x4d"); }
TEST(WeightParity, TorchvisionVgg19) { expect_torchvision_parity("vgg19"); }
TEST(WeightParity, TorchvisionVgg16) { expect_torchvision_parity("vgg16"); }
TEST(WeightParity, TorchvisionResnext101_32x8d) { expect_torchvision_parity("resnext101_32x8d"); }
TEST(WeightParity, TorchvisionResnet101) { expect_torchvision_parity("resnet101"); }
TEST(WeightParity, TorchvisionSqueezenet1_1) { expect_torchvision_parity("squeezenet1_1"); }
TEST(WeightParity, TorchvisionDensenet121) { expect_torchvision_parity("densenet121"); }
TEST(WeightParity, TorchvisionMobilenetV3Large) { expect_torchvision_parity("mobilenet_v3_large"); }
TEST(WeightParity, TorchvisionMobilenetV3Small) { expect_torchvision_parity("mobilenet_v3_small"); }
TEST(WeightParity, TorchvisionGooglenet) { expect_torchvision_parity("googlenet"); }
TEST(WeightParity, TorchvisionInceptionV3) { expect_torchvision_parity("inception_v3"); }
TEST(WeightParity, TorchvisionAlexnet) { expect_torchvision_parity("alexnet"); }
TEST(WeightParity, TorchvisionMobilenetV2) { expect_torchvision_parity("mobilenet_v2"); }

namespace {

// A timm fixture (BASE.pth with BASE.input.f32 and BASE.logits.f32, 10 classes) loads into `model`
// by profile detection, strictly, and gives the same logits.
void expect_fixture_logits(models::ClassifierImpl& model, const std::string& base, const std::vector<int64_t>& input_shape) {
  const auto report = weights::load_state_dict(model, weights::read_state_dict(base + ".pth"), {}, "timm fixture");
  EXPECT_EQ(report.profile, "timm");
  EXPECT_TRUE(report.reinitialised.empty());
  const auto x = read_f32(base + ".input.f32", input_shape);
  const auto expected = read_f32(base + ".logits.f32", {input_shape[0], 10});
  model.eval();
  torch::NoGradGuard g;
  EXPECT_LE(relative_error(model.forward(x), expected), 1e-4);
}

// A small timm reference network of the ResNet family (../shared/fixtures/weights/<name>.pth).
void expect_timm_fixture_parity(const std::string& name, const models::ResNetSpec& spec,
                                const std::vector<int64_t>& input_shape) {
  const std::string base = tu::shared_dir() + "/fixtures/weights/" + name;
  if (!std::filesystem::exists(base + ".pth")) GTEST_SKIP() << base << ".pth is not present";
  models::ModelOptions o;
  o.num_classes = 10;
  expect_fixture_logits(*std::make_shared<models::ResNetImpl>(spec, o), base, input_shape);
}

}  // namespace

// Res2Net and GhostNet, timm's (Sheng 2024, Table 1).
TEST(WeightParity, TimmRes2NetFixture) {
  const std::string base = tu::shared_dir() + "/fixtures/weights/timm_res2net_1111_c10";
  if (!std::filesystem::exists(base + ".pth")) GTEST_SKIP() << base << ".pth is not present";
  models::ModelOptions o;
  o.num_classes = 10;
  auto model = std::make_shared<models::Res2NetImpl>(o, std::array<int64_t, 4>{1, 1, 1, 1}, 26, 4);
  expect_fixture_logits(*model, base, {1, 3, 64, 64});
}

TEST(WeightParity, TimmGhostNetFixture) {
  const std::string base = tu::shared_dir() + "/fixtures/weights/timm_ghostnet_050_c10";
  if (!std::filesystem::exists(base + ".pth")) GTEST_SKIP() << base << ".pth is not present";
  models::ModelOptions o;
  o.name = "ghostnet_050";
  o.num_classes = 10;
  expect_fixture_logits(*models::create_model(o), base, {1, 3, 64, 64});
}

// The full-size networks have timm's names and shapes: the key lists of stock files.
TEST(WeightParity, TimmKeyListsMatch) {
  for (const auto& [arch, file] : {std::pair{"res2net50_26w_4s", "timm_res2net50_26w_4s"}, {"ghostnet_100", "timm_ghostnet_100"},
                                   {"densenet121", "timm_densenet121"}}) {
    const std::string path = tu::shared_dir() + "/fixtures/weights/" + file + ".keys.txt";
    if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " is not present";
    std::vector<std::string> want;
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);)
      if (!line.empty()) want.push_back(line);
    models::ModelOptions o;
    o.name = arch;
    o.num_classes = 1000;
    std::vector<std::string> ours;
    for (const auto& [k, v] : weights::state_dict_of(*models::create_model(o))) {
      std::string shape;
      for (auto d : v.sizes()) shape += (shape.empty() ? "" : "x") + std::to_string(d);
      ours.push_back(k + " " + (shape.empty() ? "scalar" : shape));
    }
    EXPECT_EQ(ours, want) << arch;
  }
}

TEST(WeightParity, TimmSeResNeXtFixture) {
  expect_timm_fixture_parity("timm_seresnext_32x4d_1111_c10", {models::Block::Bottleneck, {1, 1, 1, 1}, 32, 4, models::Gate::SE, false},
                             {2, 3, 96, 96});
}

// SE-ResNet, timm's seresnet (the SE baselines of Huang et al. 2023, Fig. 15): basic and bottleneck blocks.
TEST(WeightParity, TimmSeResNetBasicFixture) {
  expect_timm_fixture_parity("timm_seresnet_basic_1111_c10", {models::Block::Basic, {1, 1, 1, 1}, 1, 64, models::Gate::SE, false},
                             {1, 3, 64, 64});
}

TEST(WeightParity, TimmSeResNetBottleneckFixture) {
  expect_timm_fixture_parity("timm_seresnet_bottleneck_1111_c10",
                             {models::Block::Bottleneck, {1, 1, 1, 1}, 1, 64, models::Gate::SE, false}, {1, 3, 64, 64});
}

TEST(WeightExport, TorchvisionLoadsOurResnet18AndAgrees) {
  if (!python_torchvision_available()) GTEST_SKIP() << "python3-torchvision is not installed (scripts/setup.sh --peers)";
  tu::TempDir dir;
  models::ModelOptions o;
  o.name = "resnet18";
  o.num_classes = 7;
  torch::manual_seed(3);
  auto model = models::create_model(o);
  model->train();
  for (int i = 0; i < 2; ++i) model->forward(torch::randn({4, 3, 64, 64}) + 0.3);  // move the BN statistics
  model->eval();
  weights::write_state_dict(dir / "ours.pth", weights::state_dict_of(*model));
  const auto x = torch::randn({2, 3, 64, 64});
  {
    std::ofstream f(dir / "x.f32", std::ios::binary);
    f.write(reinterpret_cast<const char*>(x.data_ptr<float>()), x.numel() * 4);
  }
  const std::string cmd = "/usr/bin/python3 " + tu::source_dir() + "/tests/weights/make_reference.py " + dir.str() +
                          " pyeval resnet18 7 " + (dir / "ours.pth") + " " + (dir / "x.f32") + " 64 " + (dir / "y.f32");
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  torch::NoGradGuard g;
  EXPECT_LE(relative_error(read_f32(dir / "y.f32", {2, 7}), model->forward(x)), 1e-4);
}

TEST(WeightParity, CadeneSeResNeXt50) {
  // Cadene's layout (written out in make_reference.py) with its own names and ceil-mode stem
  // pool: loaded by profile detection into seresnext50_32x4d, the same logits.
  if (!python_torchvision_available()) GTEST_SKIP() << "python3-torch is not installed (scripts/setup.sh --peers)";
  tu::TempDir dir;
  const std::string cmd = "/usr/bin/python3 " + tu::source_dir() + "/tests/weights/make_reference.py " + dir.str() + " cadene";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  const auto file = weights::read_state_dict(dir / "cadene.pth");
  ASSERT_EQ(weights::detect_profile(file), "cadene");
  models::ModelOptions o;
  o.name = "seresnext50_32x4d";
  o.num_classes = 10;
  o.ceil_stem_pool = true;
  auto model = models::create_model(o);
  const auto report = weights::load_state_dict(*model, file, {}, "cadene.pth");
  EXPECT_TRUE(report.missing.empty()) << report.table();
  EXPECT_TRUE(report.unexpected.empty()) << report.table();
  const auto x = read_f32(dir / "cadene.input.f32", {2, 3, 224, 224});
  const auto expected = read_f32(dir / "cadene.logits.f32", {2, 10});
  model->eval();
  torch::NoGradGuard g;
  EXPECT_LE(relative_error(model->forward(x), expected), 1e-4);
  model->prepare_for_inference({/*channels_last=*/true, /*onednn=*/true});
  EXPECT_LE(relative_error(model->forward(x), expected), 1e-4) << "folded, channels-last (SE: dense)";
}

