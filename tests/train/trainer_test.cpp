#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "alloyml/core/error.h"
#include "alloyml/core/signals.h"
#include "alloyml/run/metrics_log.h"
#include "alloyml/train/callbacks.h"
#include "alloyml/train/trainer.h"
#include "test_util.h"

using namespace alloyml::train;
using alloyml::run::MetricsLog;

namespace {
// A task whose "model" is one number moving toward a target; its metric is predictable.
class FakeTask : public Task {
 public:
  int64_t steps_per_epoch() const override { return 4; }
  void begin_epoch(int, int64_t) override {}
  StepResult run_step(int epoch, int64_t step) override {
    value += lr;
    ++steps;
    if (stop_at_step >= 0 && steps == stop_at_step) alloyml::set_stop_requested(true);
    return {1.0, static_cast<double>(epoch * 10 + step)};
  }
  Scalars end_epoch(int epoch) override { return {{"val_accuracy", scores.at(static_cast<size_t>(epoch))}}; }
  double set_lr_factor(double f) override { return lr = 0.1 * f; }
  std::string status() const override { return ""; }
  void save_checkpoint(const std::string& path, const Scalars& extra) override {
    std::ofstream out(path);
    out << value << "\n";
    for (const auto& [k, v] : extra) out << k << " " << v << "\n";
  }
  Scalars load_checkpoint(const std::string& path) override {
    std::ifstream in(path);
    in >> value;
    Scalars s;
    std::string k;
    double v;
    while (in >> k >> v) s[k] = v;
    return s;
  }
  double value = 0, lr = 0;
  int steps = 0, stop_at_step = -1;
  std::vector<double> scores{0.1, 0.5, 0.4, 0.6, 0.6, 0.55, 0.3, 0.2};
};
}  // namespace

TEST(Trainer, RunsEveryStepOfEveryEpoch) {
  FakeTask task;
  Trainer t(task, 3, {std::make_shared<LrSchedule>(ScheduleOptions{})});
  t.fit();
  EXPECT_EQ(task.steps, 12);
}

TEST(Trainer, CheckpointsLastAndBestAndStopsEarly) {
  alloyml::testing::TempDir dir;
  FakeTask task;
  auto ck = std::make_shared<Checkpointer>(dir.str(), "val_accuracy", true);
  Trainer t(task, 8, {std::make_shared<LrSchedule>(ScheduleOptions{}), ck, std::make_shared<EarlyStopping>("val_accuracy", true, 2),
                      std::make_shared<MetricsLog>(dir / "metrics.jsonl")});
  t.fit();
  // best 0.6 at epoch 4; 0.6 (not better) and 0.55 -> stop after epoch 6
  EXPECT_TRUE(t.state().stop);
  EXPECT_EQ(task.steps, 24);
  EXPECT_DOUBLE_EQ(ck->best(), 0.6);
  std::ifstream best(dir / "best.pt"), last(dir / "last.pt");
  double vb = 0, vl = 0;
  best >> vb;
  last >> vl;
  EXPECT_NEAR(vb, 1.6, 1e-9);  // after 16 steps of 0.1
  EXPECT_NEAR(vl, 2.4, 1e-9);
  std::ifstream m(dir / "metrics.jsonl");
  int lines = 0;
  for (std::string l; std::getline(m, l);) ++lines;
  EXPECT_EQ(lines, 6);
}

TEST(Trainer, InterruptCheckpointsAndResumesAtTheSameStep) {
  alloyml::testing::TempDir dir;
  FakeTask task;
  task.stop_at_step = 6;  // during epoch 2
  Trainer t(task, 3, {std::make_shared<LrSchedule>(ScheduleOptions{}), std::make_shared<Checkpointer>(dir.str(), "val_accuracy", true),
                      std::make_shared<MetricsLog>(dir / "metrics.jsonl")});
  EXPECT_THROW(t.fit(), alloyml::Interrupted);
  alloyml::set_stop_requested(false);

  FakeTask resumed;
  Trainer r(resumed, 3, {std::make_shared<LrSchedule>(ScheduleOptions{}), std::make_shared<Checkpointer>(dir.str(), "val_accuracy", true),
                         std::make_shared<MetricsLog>(dir / "metrics.jsonl")});
  r.resume_from(dir / "last.pt");
  EXPECT_EQ(r.state().epoch, 1);
  EXPECT_EQ(r.state().step, 2);
  r.fit();
  EXPECT_EQ(resumed.steps, 6);  // the 6 steps that were left
  EXPECT_NEAR(resumed.value, 1.2, 1e-9);
}

TEST(Schedule, WarmupThenCosine) {
  ScheduleOptions o;
  o.name = "cosine";
  o.warmup_epochs = 2;
  EXPECT_NEAR(schedule_factor(o, 10, 1.0), 0.5, 1e-3);
  EXPECT_NEAR(schedule_factor(o, 10, 2.0), 1.0, 1e-9);
  EXPECT_NEAR(schedule_factor(o, 10, 6.0), 0.5, 1e-9);
  EXPECT_NEAR(schedule_factor(o, 10, 10.0), 0.0, 1e-9);
}

TEST(Schedule, StepAndMultistep) {
  ScheduleOptions s;
  s.name = "step";
  s.step_size = 3;
  s.gamma = 0.5;
  EXPECT_DOUBLE_EQ(schedule_factor(s, 10, 2.9), 1.0);
  EXPECT_DOUBLE_EQ(schedule_factor(s, 10, 6.0), 0.25);
  ScheduleOptions m;
  m.name = "multistep";
  m.milestones = {60, 120, 160};  // SARSN recipe: 0.1 -> 0.02 -> 0.004 -> 0.0008
  m.gamma = 0.2;
  EXPECT_NEAR(0.1 * schedule_factor(m, 200, 130), 0.004, 1e-12);
  EXPECT_NEAR(0.1 * schedule_factor(m, 200, 170), 0.0008, 1e-12);
}

TEST(Schedule, LinearDecayIsConstantThenFallsToZero) {
  ScheduleOptions o;
  o.name = "linear_decay";
  o.constant_epochs = 100;
  EXPECT_DOUBLE_EQ(schedule_factor(o, 200, 0.0), 1.0);
  EXPECT_DOUBLE_EQ(schedule_factor(o, 200, 99.5), 1.0);
  EXPECT_NEAR(schedule_factor(o, 200, 150.0), 0.5, 1e-12);
  EXPECT_NEAR(schedule_factor(o, 200, 200.0), 0.0, 1e-12);
  o.constant_epochs = 0;
  EXPECT_NEAR(schedule_factor(o, 10, 2.5), 0.75, 1e-12);
}

TEST(Trainer, MonitorNoneKeepsOnlyTheLastCheckpoint) {
  alloyml::testing::TempDir dir;
  FakeTask task;
  auto ck = std::make_shared<Checkpointer>(dir.str(), "none", true);
  Trainer t(task, 3, {std::make_shared<LrSchedule>(ScheduleOptions{}), ck, std::make_shared<EarlyStopping>("none", true, 1)});
  t.fit();
  EXPECT_EQ(t.state().epoch, 3);  // early stopping has nothing to watch
  EXPECT_TRUE(std::filesystem::exists(dir / "last.pt"));
  EXPECT_FALSE(std::filesystem::exists(dir / "best.pt"));
}
