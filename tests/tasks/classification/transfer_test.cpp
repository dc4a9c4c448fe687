// Transfer learning through alloyml-train's entry point: pretrained weights are loaded, the
// backbone stays fixed while frozen, and the classifier is re-initialised for the new classes.
#include <gtest/gtest.h>

#include <map>

#include <torch/torch.h>

#include "alloyml/core/config.h"
#include "alloyml/data/synthetic.h"
#include "alloyml/models/registry.h"
#include "alloyml/tasks/commands.h"
#include "alloyml/weights/load.h"
#include "test_util.h"

using alloyml::config::Json;

namespace {
std::map<std::string, torch::Tensor> as_map(const alloyml::weights::StateDict& s) { return {s.begin(), s.end()}; }

int train_run(const std::string& dir, const Json& transfer, const std::string& pretrained, const std::string& out) {
  Json cfg = {{"version", 1},
              {"data", {{"root", dir + "/data"}, {"split", {{"val", 0.2}, {"test", 0}}}}},
              {"input", {{"size", 32}, {"channels", 1}, {"mean", {0.5}}, {"std", {0.25}}}},
              {"model", {{"name", "resnet10"}, {"width", 16}, {"pretrained", pretrained}}},
              {"transfer", transfer},
              {"train", {{"epochs", 1}, {"batch_size", 8}}},
              {"output", {{"dir", out}}}};
  alloyml::config::write_json_file(dir + "/cfg.json", cfg);
  alloyml::tasks::TrainRequest req;
  req.config_path = dir + "/cfg.json";
  req.common.quiet = true;
  return alloyml::tasks::run_train(req);
}
// Writes a fresh resnet10 (width 16) as `path` and returns its tensors as read back.
std::map<std::string, torch::Tensor> write_pretrained(const std::string& path, int classes, int in_channels) {
  alloyml::models::ModelOptions o;
  o.name = "resnet10";
  o.width = 16;
  o.num_classes = classes;
  o.in_channels = in_channels;
  torch::manual_seed(42);
  auto source = alloyml::models::create_model(o);
  alloyml::weights::write_state_dict(path, alloyml::weights::state_dict_of(*source));
  return as_map(alloyml::weights::read_state_dict(path));
}
}  // namespace

TEST(Transfer, FrozenBackboneKeepsThePretrainedWeightsAndNewHeadLearns) {
  alloyml::testing::TempDir dir;
  alloyml::data::write_surface_defects(dir / "data", 6, 32, 5);
  // "Pretrained": an RGB model with 10 classes; the run is grayscale with 6 classes.
  auto pre = write_pretrained(dir / "pre.pth", 10, 3);

  ASSERT_EQ(train_run(dir.str(), {{"freeze_epochs", 1}}, dir / "pre.pth", dir / "frozen"), 0);
  auto frozen = as_map(alloyml::weights::read_state_dict(dir / "frozen/model.pth"));
  EXPECT_TRUE(torch::equal(frozen["layer2.0.conv1.weight"], pre["layer2.0.conv1.weight"]));
  EXPECT_TRUE(torch::equal(frozen["layer1.0.bn1.running_mean"], pre["layer1.0.bn1.running_mean"]));
  EXPECT_TRUE(torch::allclose(frozen["conv1.weight"], pre["conv1.weight"].sum(1, true)));  // 1-channel stem
  EXPECT_EQ(frozen["fc.weight"].sizes(), (std::vector<int64_t>{6, 128}));

  ASSERT_EQ(train_run(dir.str(), Json::object(), dir / "pre.pth", dir / "free"), 0);
  auto free = as_map(alloyml::weights::read_state_dict(dir / "free/model.pth"));
  EXPECT_FALSE(torch::equal(free["layer2.0.conv1.weight"], pre["layer2.0.conv1.weight"]));
}

TEST(Transfer, ZeroBackboneRateKeepsWeightsButUpdatesStatistics) {
  alloyml::testing::TempDir dir;
  alloyml::data::write_surface_defects(dir / "data", 6, 32, 6);
  auto pre = write_pretrained(dir / "pre.pth", 6, 1);
  ASSERT_EQ(train_run(dir.str(), {{"backbone_lr_mult", 0.0}}, dir / "pre.pth", dir / "run"), 0);
  auto after = as_map(alloyml::weights::read_state_dict(dir / "run/model.pth"));
  EXPECT_TRUE(torch::equal(after["layer3.0.conv2.weight"], pre["layer3.0.conv2.weight"]));
  EXPECT_FALSE(torch::equal(after["layer3.0.bn2.running_var"], pre["layer3.0.bn2.running_var"]));
  EXPECT_FALSE(torch::equal(after["fc.weight"], pre["fc.weight"]));
}
