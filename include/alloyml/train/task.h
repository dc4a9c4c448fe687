#pragma once
// What a task (classification, distillation, CycleGAN, ...) supplies to the trainer: one
// step at a time, its epoch-end metrics, and its own state in a checkpoint. The trainer
// owns the loop and never knows the model. No torch in this header.
#include <cstdint>
#include <map>
#include <string>

namespace alloyml::train {

using Scalars = std::map<std::string, double>;

struct StepResult {
  double items = 0;  ///< images (or rows) processed by the step
  double loss = 0;   ///< the step's mean loss
};

class Task {
 public:
  virtual ~Task() = default;
  virtual int64_t steps_per_epoch() const = 0;
  /// Prepares epoch `epoch` (0-based), starting at step `first_step` when resuming mid-epoch.
  virtual void begin_epoch(int epoch, int64_t first_step) = 0;
  virtual StepResult run_step(int epoch, int64_t step) = 0;
  /// The epoch's training metrics (train_loss, train_accuracy, ...) and validation metrics (val_*).
  virtual Scalars end_epoch(int epoch) = 0;
  /// Multiplies every parameter group's base learning rate by `factor`; returns the main rate.
  virtual double set_lr_factor(double factor) = 0;
  /// A short running status for progress lines ("loss 0.41 acc 0.88").
  virtual std::string status() const = 0;
  /// Writes model, optimisers and `extra` to `path` (the caller makes it atomic).
  virtual void save_checkpoint(const std::string& path, const Scalars& extra) = 0;
  /// Called on every worker of a distributed job before rank 0 saves a checkpoint: sums what
  /// the workers accumulated apart (the epoch's running losses) so that rank 0 saves the job's.
  virtual void gather_for_checkpoint() {}
  /// Restores what save_checkpoint wrote and returns its `extra`.
  virtual Scalars load_checkpoint(const std::string& path) = 0;
};

}  // namespace alloyml::train
