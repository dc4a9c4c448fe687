#pragma once
// The callbacks every trainer-driven run uses, in their order: the learning-rate schedule, the
// step timer, checkpoints (last.pt, best.pt), early stopping, metrics.jsonl and progress.
#include <memory>
#include <vector>

#include "alloyml/run/run_dir.h"
#include "alloyml/train/callbacks.h"
#include "alloyml/train/options.h"

namespace alloyml::run {

struct StandardCallbacks {
  std::vector<std::shared_ptr<train::Callback>> list;
  std::shared_ptr<train::StepTimer> timer;
  std::shared_ptr<train::Checkpointer> checkpointer;
};

/// The standard set for a network trained in `dir` (its checkpoints/ and metrics.jsonl).
StandardCallbacks standard_callbacks(const RunPaths& dir, const train::TrainOptions& train,
                                     const train::ScheduleOptions& schedule, bool quiet);

}  // namespace alloyml::run
