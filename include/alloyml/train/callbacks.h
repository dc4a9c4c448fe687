#pragma once
// The trainer's standard callbacks, built from config by the tasks.
#include <memory>
#include <string>

#include "alloyml/core/progress.h"
#include "alloyml/train/options.h"
#include "alloyml/train/trainer.h"

namespace alloyml::train {

/// Sets the learning rate before every step: linear warm-up, then step, multistep or cosine.
class LrSchedule : public Callback {
 public:
  explicit LrSchedule(ScheduleOptions options) : options_(std::move(options)) {}
  std::string name() const override { return "schedule"; }
  void before_step(Trainer& t) override;

 private:
  ScheduleOptions options_;
};

/// Tracks the monitored metric (best value, epochs since improvement).
struct MetricMonitor {
  std::string metric = "val_accuracy";
  bool maximize = true;
  double best = 0;
  bool has_best = false;
  int since_best = 0;
  /// Records `value`; true when it is a new best.
  bool update(double value);
};

/// last.pt after every epoch and on interrupt; best.pt when the monitored metric improves.
class Checkpointer : public Callback {
 public:
  Checkpointer(std::string dir, std::string metric, bool maximize);
  std::string name() const override { return "checkpoint"; }
  void after_epoch(Trainer& t) override;
  void on_interrupt(Trainer& t) override;
  Scalars state() const override;
  void set_state(const Scalars& s) override;
  double best() const { return monitor_.best; }

 private:
  std::string dir_;
  MetricMonitor monitor_;
};

/// Stops after `patience` epochs without improvement of the monitored metric.
class EarlyStopping : public Callback {
 public:
  EarlyStopping(std::string metric, bool maximize, int patience);
  std::string name() const override { return "early_stopping"; }
  void after_epoch(Trainer& t) override;
  Scalars state() const override;
  void set_state(const Scalars& s) override;

 private:
  MetricMonitor monitor_;
  int patience_;
};

/// A progress bar with ETA and throughput on a terminal, periodic log lines otherwise,
/// and one summary line per epoch.
class ProgressLog : public Callback {
 public:
  ProgressLog(bool terminal, double log_interval_s, bool enabled)
      : terminal_(terminal), log_interval_s_(log_interval_s), enabled_(enabled) {}
  std::string name() const override { return "progress"; }
  void before_epoch(Trainer& t) override;
  void after_step(Trainer& t) override;
  void after_epoch(Trainer& t) override;
  void after_train(Trainer& t) override;

 private:
  bool terminal_;
  double log_interval_s_;
  bool enabled_;
  std::unique_ptr<Progress> bar_;
};

/// Measures the time spent in training steps and the items they processed (this session only).
class StepTimer : public Callback {
 public:
  std::string name() const override { return "step_timer"; }
  void before_step(Trainer&) override;
  void after_step(Trainer& t) override;
  double items() const { return items_; }
  double seconds() const { return seconds_; }
  double items_per_second() const { return seconds_ > 0 ? items_ / seconds_ : 0.0; }

 private:
  double start_ = 0, items_ = 0, seconds_ = 0;
};

/// Seconds since an arbitrary fixed point (monotonic).
double monotonic_seconds();

}  // namespace alloyml::train
