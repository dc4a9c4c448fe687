// A tiny ResNet regressor learns a synthetic composition-to-target function from outer-product
// images, and beats predicting the mean by a wide margin on compositions it never saw.
#include <cmath>
#include <cstdio>
#include <random>

#include <gtest/gtest.h>

#include "alloyml/data/composition_image.h"
#include "alloyml/eval/metrics.h"
#include "alloyml/tasks/gfa/regressor.h"
#include "alloyml/train/callbacks.h"
#include "alloyml/train/regression.h"
#include "alloyml/train/options.h"

using namespace alloyml;

TEST(GfaLearning, TinyResNetLearnsACompositionFunction) {
  train::RuntimeOptions rt;
  rt.device = "cpu";
  rt.precision = "fp32";
  train::apply_runtime(rt);  // all cores
  // Alloys of 2-4 of six elements; the target rewards Zr-Cu and Ni-Ti pairs and Al.
  const auto elements = data::parse_element_list("Zr Cu Al Ni Ti Be");
  std::mt19937_64 gen(5);
  std::vector<data::Composition> comps;
  std::vector<double> target;
  for (int i = 0; i < 320; ++i) {
    std::vector<double> a(6, 0.0);
    const int k = 2 + static_cast<int>(gen() % 3);
    for (int j = 0; j < k; ++j) a[gen() % 6] += 0.2 + std::uniform_real_distribution<double>(0, 1)(gen);
    std::string formula;
    for (size_t e = 0; e < 6; ++e)
      if (a[e] > 0) formula += data::element_symbol(elements[e]) + std::to_string(a[e]);
    comps.push_back(data::parse_formula(formula));
    const auto& c = comps.back();
    auto f = [&](const char* s) { return c.fraction_of(data::atomic_number(s)); };
    target.push_back(20 * f("Zr") * f("Cu") + 4 * f("Al") + 12 * f("Ni") * f("Ti"));
  }
  data::CompositionEncoding enc;
  enc.elements = elements;
  enc.size = 12;
  tasks::RegressionData d;
  d.c = enc.channels();
  d.h = d.w = 12;
  for (size_t i = 0; i < comps.size(); ++i) {
    const auto img = data::encode_composition(comps[i], enc);
    d.images.insert(d.images.end(), img.begin(), img.end());
    d.targets.push_back(target[i]);
    d.raw.push_back(target[i]);
  }
  std::vector<size_t> train_idx, test_idx;
  for (size_t i = 0; i < comps.size(); ++i) (i < 260 ? train_idx : test_idx).push_back(i);

  tasks::RegressionSetup s;
  s.model.name = "resnet18";
  s.model.width = 8;
  s.model.num_classes = 1;
  s.model.in_channels = 1;
  s.optim.name = "adamw";
  s.optim.lr = 3e-3;
  s.batch_size = 16;
  s.seed = 1;
  auto task = tasks::make_regression_task(s, d, train_idx, test_idx);
  train::ScheduleOptions sched;
  sched.name = "cosine";
  train::Trainer trainer(*task, 15, {std::make_shared<train::LrSchedule>(sched)});
  trainer.fit();
  const auto m = task->end_epoch(14);
  std::printf("held-out R^2 %.3f, RMSE %.3f\n", m.at("val_r2"), m.at("val_rmse"));
  // Predicting the training mean would give R^2 <= 0 on the held-out compositions.
  EXPECT_GT(m.at("val_r2"), 0.8) << "val_rmse " << m.at("val_rmse");
}
