#pragma once
// The callbacks every trainer-driven run uses, in their order: the learning-rate schedule, the
// step timer, checkpoints (last.pt, best.pt), early stopping, metrics.jsonl and progress; and the
// train driver every task shares (run_training).
#include <cmath>
#include <memory>
#include <vector>

#include "alloyml/run/run_dir.h"
#include "alloyml/train/callbacks.h"
#include "alloyml/train/options.h"
#include "alloyml/train/trainer.h"

namespace alloyml::run {

struct StandardCallbacks {
  std::vector<std::shared_ptr<train::Callback>> list;
  std::shared_ptr<train::StepTimer> timer;
  std::shared_ptr<train::Checkpointer> checkpointer;
};

/// The standard set for a network trained in `dir` (its checkpoints/ and metrics.jsonl).
StandardCallbacks standard_callbacks(const RunPaths& dir, const train::TrainOptions& train,
                                     const train::ScheduleOptions& schedule, bool quiet);

/// How a network's training ended.
struct TrainingOutcome {
  train::TrainState state;       ///< epochs completed (state.epoch), early stop, the last epoch's metrics
  double best = NAN;             ///< the best value of train.monitor (best.pt's)
  double items_per_second = 0;   ///< training throughput (images or rows)
  double train_seconds = 0;      ///< time in training steps
};

/// The train driver of every task: `task` trained for train.epochs with the standard callbacks in
/// `dir`, resumed from its last.pt when `resume` and there is one, with the stop handlers
/// installed (Ctrl-C and SIGTERM save last.pt and stop; fit() then throws Interrupted).
TrainingOutcome run_training(train::Task& task, const RunPaths& dir, const train::TrainOptions& train,
                             const train::ScheduleOptions& schedule, bool quiet, bool resume);

}  // namespace alloyml::run
