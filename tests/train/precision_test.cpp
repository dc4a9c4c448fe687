// bf16 mixed precision: imported weights give the same answers as in fp32, within a stated
// tolerance. (The decision "auto -> bf16 or fp32" is tested in precision_choice_test.cpp.)
#include <cstdlib>
#include <fstream>

#include <gtest/gtest.h>

#include "alloyml/data/image_set.h"
#include "alloyml/data/loader.h"
#include "alloyml/data/synthetic.h"
#include "alloyml/tasks/classification/classifier.h"
#include "alloyml/train/options.h"
#include "test_util.h"

namespace tu = alloyml::testing;
using namespace alloyml;

TEST(Bf16, ImportedResnet50AgreesWithFp32OnImages) {
  if (std::system("/usr/bin/python3 -c 'import torchvision' > /dev/null 2>&1") != 0)
    GTEST_SKIP() << "python3-torchvision is not installed (scripts/setup.sh --peers)";
  train::apply_runtime({});
  tu::TempDir dir;
  // torchvision's resnet50 (10 classes, non-trivial batch-norm statistics) saved by Python.
  const std::string cmd = "/usr/bin/python3 " + tu::source_dir() + "/tests/weights/make_reference.py " + dir.str() +
                          " model resnet50 > /dev/null";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  // 120 images through the product's path: decode, ImageNet normalisation, folded batch norm.
  data::write_surface_defects(dir / "images", 20, 96, 5);
  data::DataOptions d;
  d.transform.size = 96;
  d.transform.channels = 3;
  d.transform.mean = {0.485, 0.456, 0.406};
  d.transform.std = {0.229, 0.224, 0.225};
  d.cache = false;
  const auto set = data::discover_images(dir / "images", d);
  std::vector<size_t> all(set.samples.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  models::ModelOptions o;
  o.name = "resnet50";
  o.num_classes = 10;
  auto model = tasks::ClassifierModel::load_pth(o, dir / "resnet50.pth", "cpu", true);
  auto run = [&](const std::string& precision) {
    model->set_precision(precision);
    auto pool = std::make_shared<ThreadPool>(2);
    data::ImageLoader loader(set, all, d, 30, false, 0, std::make_shared<data::ImageCache>(set, d), pool);
    return model->predict(loader, false);
  };
  const auto fp32 = run("fp32"), bf16 = run("bf16");
  ASSERT_EQ(fp32.logits.size(), 120u);
  ASSERT_EQ(bf16.indices, fp32.indices);
  int agree = 0;
  double worst = 0;
  for (size_t i = 0; i < fp32.logits.size(); ++i) {
    agree += tasks::argmax(fp32.logits[i]) == tasks::argmax(bf16.logits[i]);
    double scale = 0, diff = 0;
    for (size_t c = 0; c < 10; ++c) {
      scale = std::max(scale, std::abs(static_cast<double>(fp32.logits[i][c])));
      diff = std::max(diff, std::abs(static_cast<double>(fp32.logits[i][c]) - bf16.logits[i][c]));
    }
    worst = std::max(worst, diff / scale);
  }
  // Stated tolerance: top-1 agrees on at least 99 % of the images, and no logit moves by more
  // than 5 % of the image's largest |logit| (bf16 keeps 8 significant bits; 50 layers add up).
  EXPECT_GE(agree, 119) << agree << " of 120 agree";
  EXPECT_LE(worst, 0.05);
  std::printf("bf16 vs fp32 on 120 images: top-1 agrees on %d, largest logit change %.4f of the largest |logit|\n", agree,
              worst);
}
