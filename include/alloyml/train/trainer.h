#pragma once
// The training loop: before_train, then per epoch and step before_step / run_step /
// after_step, then after_train (always). Schedules, checkpoints, early stopping, logging
// and progress are callbacks built from config (see callbacks.h).
#include <memory>
#include <string>
#include <vector>

#include "alloyml/train/task.h"

namespace alloyml::train {

class Trainer;

struct TrainState {
  int epochs = 0;
  int epoch = 0;              ///< current epoch, 0-based
  int64_t step = 0;           ///< step within the epoch
  int64_t steps_per_epoch = 0;
  int64_t global_step = 0;
  double lr = 0;
  StepResult last_step;
  Scalars epoch_metrics;      ///< set before after_epoch
  bool stop = false;          ///< a callback asks to end training (early stopping)
  bool interrupted = false;   ///< SIGINT/SIGTERM arrived
  bool resumed = false;
};

class Callback {
 public:
  virtual ~Callback() = default;
  /// Name under which the callback's state is checkpointed.
  virtual std::string name() const = 0;
  virtual void before_train(Trainer&) {}
  virtual void before_epoch(Trainer&) {}
  virtual void before_step(Trainer&) {}
  virtual void after_step(Trainer&) {}
  virtual void after_epoch(Trainer&) {}
  /// Runs once a stop was requested, before the Interrupted exception leaves fit().
  virtual void on_interrupt(Trainer&) {}
  virtual void after_train(Trainer&) {}
  virtual Scalars state() const { return {}; }
  virtual void set_state(const Scalars&) {}
};

class Trainer {
 public:
  Trainer(Task& task, int epochs, std::vector<std::shared_ptr<Callback>> callbacks);

  /// Restores a checkpoint written by save_checkpoint (before fit()).
  void resume_from(const std::string& path);

  /// Runs the loop. Throws Interrupted after checkpointing when a stop signal arrived.
  void fit();

  /// Writes the task and trainer/callback state to `path` atomically.
  void save_checkpoint(const std::string& path);

  Task& task() { return task_; }
  TrainState& state() { return state_; }

 private:
  Task& task_;
  TrainState state_;
  std::vector<std::shared_ptr<Callback>> callbacks_;
};

}  // namespace alloyml::train
