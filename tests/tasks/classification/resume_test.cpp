// Deterministic regression tests for the two resume bugs that only a kill at the right moment
// found (issue 41): the adaptive loss's weights after a stop at an epoch's first step, and the
// metrics.jsonl line of an epoch whose checkpoint a kill prevented.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "alloyml/core/error.h"
#include "alloyml/core/signals.h"
#include "alloyml/data/image_set.h"
#include "alloyml/data/loader.h"
#include "alloyml/data/synthetic.h"
#include "alloyml/run/callbacks.h"
#include "alloyml/tasks/classification/classifier.h"
#include "alloyml/train/trainer.h"
#include "test_util.h"

using namespace alloyml;
namespace tu = alloyml::testing;

namespace {

// Records each finished epoch's metrics; asks for a stop once `stop_after` epochs are done, so
// the trainer stops (and writes last.pt) at the next epoch's first step.
struct Recorder : train::Callback {
  std::string name() const override { return "recorder"; }
  void after_epoch(train::Trainer& t) override {
    metrics.push_back(t.state().epoch_metrics);
    if (static_cast<int>(metrics.size()) == stop_after) set_stop_requested(true);
  }
  std::vector<train::Scalars> metrics;
  int stop_after = -1;
};

struct AdaptiveRun {
  explicit AdaptiveRun(const std::string& images) {
    d.transform.size = 32;
    d.transform.channels = 1;
    d.transform.mean = {0.5};
    d.transform.std = {0.25};
    set = data::discover_images(images, d);
    for (size_t i = 0; i < set.samples.size(); ++i) all.push_back(i);
    setup.model.name = "resnet10";
    setup.model.width = 8;
    setup.model.in_channels = 1;
    setup.model.num_classes = static_cast<int>(set.class_names.size());
    setup.optim.name = "sgd";
    setup.optim.lr = 0.05;
    setup.loss.name = "adaptive_gmean";
    setup.class_names = set.class_names;
    setup.train_counts.assign(set.class_names.size(), 0);
    for (const auto& s : set.samples) ++setup.train_counts[static_cast<size_t>(s.label)];
  }
  // Trains to `epochs` in `dir` (resuming from its last.pt when asked); the recorder's metrics.
  std::vector<train::Scalars> train(const std::string& dir, int epochs, bool resume, int stop_after) {
    auto pool = std::make_shared<ThreadPool>(1);
    auto cache = std::make_shared<data::ImageCache>(set, d);
    data::ImageLoader train_loader(set, all, d, 8, true, 0, cache, pool), val_loader(set, all, d, 8, false, 0, cache, pool);
    auto task = tasks::make_classification_task(setup, train_loader, val_loader);
    auto recorder = std::make_shared<Recorder>();
    recorder->stop_after = stop_after;
    const run::RunPaths paths{dir};
    std::filesystem::create_directories(paths.checkpoints());
    auto callbacks = run::standard_callbacks(paths, train::TrainOptions{}, train::ScheduleOptions{}, true).list;
    callbacks.push_back(recorder);
    train::Trainer t(*task, epochs, callbacks);
    if (resume) t.resume_from(paths.last());
    try {
      t.fit();
    } catch (const Interrupted&) {
      set_stop_requested(false);
    }
    return recorder->metrics;
  }
  data::DataOptions d;
  data::ImageSet set;
  std::vector<size_t> all;
  tasks::ClassifierSetup setup;
};

}  // namespace

TEST(ClassificationResume, AdaptiveWeightsSurviveAStopAtAnEpochsFirstStep) {
  tu::TempDir dir;
  data::write_surface_defects(dir / "images", 4, 32, 3);
  AdaptiveRun run(dir / "images");
  const auto whole = run.train(dir / "whole", 3, false, -1);
  ASSERT_EQ(whole.size(), 3u);
  // Stopped at epoch 2's first step (begin_epoch already ran), then resumed.
  const auto first = run.train(dir / "cut", 3, false, 1);
  ASSERT_EQ(first.size(), 1u);
  const auto rest = run.train(dir / "cut", 3, true, -1);
  ASSERT_EQ(rest.size(), 2u);
  for (size_t e = 0; e < 2; ++e) {
    const auto& a = whole[e + 1];
    const auto& b = rest[e];
    for (const auto& c : run.set.class_names) {
      const std::string key = tasks::adaptive_weight_key(c);
      ASSERT_TRUE(a.count(key) && b.count(key)) << key;
      EXPECT_DOUBLE_EQ(a.at(key), b.at(key)) << "epoch " << e + 2 << " " << key;
    }
    EXPECT_DOUBLE_EQ(a.at("train_loss"), b.at("train_loss")) << "epoch " << e + 2;
  }
}

TEST(ClassificationResume, AnEpochsMetricsLineGoesOutBeforeItsCheckpoint) {
  // The order that makes a kill between the two harmless: the line first (a resumed run drops a
  // line past its checkpoint); the checkpoint first would lose the epoch's line for good.
  tu::TempDir dir;
  const run::RunPaths paths{dir.str()};
  const auto callbacks = run::standard_callbacks(paths, train::TrainOptions{}, train::ScheduleOptions{}, true);
  std::vector<std::string> names;
  for (const auto& c : callbacks.list) names.push_back(c->name());
  const auto at = [&](const std::string& n) { return std::find(names.begin(), names.end(), n) - names.begin(); };
  ASSERT_LT(at("metrics"), static_cast<long>(names.size()));
  ASSERT_LT(at("checkpoint"), static_cast<long>(names.size()));
  EXPECT_LT(at("metrics"), at("checkpoint"));

  // A run stopped at epoch 2's first step, whose epoch-2 line then "reached the file before a kill
  // took its checkpoint": the resumed run drops that line and writes the epoch's own.
  data::write_surface_defects(dir / "images", 4, 32, 3);
  AdaptiveRun run(dir / "images");
  const std::string out = dir / "run";
  ASSERT_EQ(run.train(out, 3, false, 1).size(), 1u);
  std::ofstream(out + "/metrics.jsonl", std::ios::app) << "{\"epoch\":2,\"val_accuracy\":0.123456}\n";
  ASSERT_EQ(run.train(out, 3, true, -1).size(), 2u);
  std::ifstream in(out + "/metrics.jsonl");
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  ASSERT_EQ(lines.size(), 3u);
  for (int e = 0; e < 3; ++e) EXPECT_NE(lines[static_cast<size_t>(e)].find("\"epoch\":" + std::to_string(e + 1)), std::string::npos) << lines[static_cast<size_t>(e)];
  EXPECT_EQ(lines[1].find("0.123456"), std::string::npos) << lines[1];
}
