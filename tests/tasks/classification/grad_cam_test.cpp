// Grad-CAM (Selvaraju et al. 2017) finds the evidence: a small network trained to tell images
// with a bright square from images without explains "square" where the square is, in whichever
// quadrant it sits.
#include <gtest/gtest.h>

#include <torch/torch.h>

#include "alloyml/core/error.h"
#include "alloyml/models/registry.h"
#include "alloyml/tasks/classification/classifier.h"
#include "alloyml/train/checkpoint.h"
#include "test_util.h"

using namespace alloyml;

namespace {

constexpr int kSize = 64;  // layer4 is 2 x 2: one cell per quadrant

// Noise, and for class 1 a bright 12 x 12 square with its corner at (y, x).
torch::Tensor image(bool square, int y, int x) {
  auto img = torch::randn({1, kSize, kSize}) * 0.3;
  if (square) img.slice(1, y, y + 12).slice(2, x, x + 12) += 2.5;
  return img;
}

models::ModelOptions tiny() {
  models::ModelOptions o;
  o.name = "resnet10";
  o.width = 8;
  o.in_channels = 1;
  o.num_classes = 2;
  return o;
}

// Trains the tiny network on squares anywhere and saves it as a run's checkpoint would.
std::string trained_checkpoint(const alloyml::testing::TempDir& dir) {
  torch::manual_seed(0);
  auto model = models::create_model(tiny());
  torch::optim::Adam opt(model->parameters(), torch::optim::AdamOptions(3e-3));
  model->train();
  for (int step = 0; step < 150; ++step) {
    std::vector<torch::Tensor> xs;
    std::vector<int64_t> ys;
    for (int i = 0; i < 16; ++i) {
      const bool sq = i % 2 == 1;
      xs.push_back(image(sq, static_cast<int>(torch::randint(0, kSize - 12, {1}).item<int64_t>()),
                         static_cast<int>(torch::randint(0, kSize - 12, {1}).item<int64_t>())));
      ys.push_back(sq);
    }
    opt.zero_grad();
    torch::nn::functional::cross_entropy(model->forward(torch::stack(xs)), torch::tensor(ys)).backward();
    opt.step();
  }
  const std::string path = dir / "model.pt";
  train::save_checkpoint_file(path, *model, {}, {});
  return path;
}

}  // namespace

TEST(GradCam, PeaksInTheQuadrantThatHoldsTheEvidence) {
  alloyml::testing::TempDir dir;
  auto model = tasks::ClassifierModel::load(tiny(), trained_checkpoint(dir), "cpu", false, /*explain=*/true);
  // One image per quadrant, the square well inside it.
  const int corners[4][2] = {{10, 10}, {10, 42}, {42, 10}, {42, 42}};
  data::Batch b;
  b.n = 4, b.c = 1, b.h = kSize, b.w = kSize;
  for (const auto& c : corners) {
    const auto img = image(true, c[0], c[1]).contiguous();
    b.images.insert(b.images.end(), img.data_ptr<float>(), img.data_ptr<float>() + img.numel());
  }
  const auto maps = model->grad_cam(b, {1, 1, 1, 1}, "");  // default layer: layer4
  ASSERT_EQ(maps.size(), 4u);
  for (int q = 0; q < 4; ++q) {
    ASSERT_EQ(maps[static_cast<size_t>(q)].rows, kSize);
    double quadrant_mean[4];
    for (int r = 0; r < 4; ++r) {
      const cv::Rect area((r % 2) * kSize / 2, (r / 2) * kSize / 2, kSize / 2, kSize / 2);
      quadrant_mean[r] = cv::mean(maps[static_cast<size_t>(q)](area))[0];
    }
    for (int r = 0; r < 4; ++r) {
      if (r == q) continue;
      EXPECT_GT(quadrant_mean[q], quadrant_mean[r]) << "square in quadrant " << q << ", quadrant " << r;
    }
    double lo = 0, hi = 0;
    cv::minMaxLoc(maps[static_cast<size_t>(q)], &lo, &hi);
    EXPECT_GE(lo, 0.0);
    EXPECT_NEAR(hi, 1.0, 1e-5);  // normalised by its maximum
  }
  // Another stage on request; a layer the model lacks is an error naming the valid ones.
  EXPECT_EQ(model->grad_cam(b, {1, 1, 1, 1}, "layer3").size(), 4u);
  try {
    model->grad_cam(b, {1, 1, 1, 1}, "layer9");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("layer1"), std::string::npos) << e.what();
  }
}
