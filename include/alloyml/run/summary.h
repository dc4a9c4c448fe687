#pragma once
// summary.json: a run's final figures, with its one writer. The task gives its own fields (metrics
// by split, cross-validation, comparisons); the writer adds the fields every run shares.
#include <optional>

#include "alloyml/core/config.h"
#include "alloyml/run/run_dir.h"
#include "alloyml/train/options.h"

namespace alloyml::run {

/// What every summary.json records about how the run went.
struct RunFacts {
  double t_start = 0;  ///< train::monotonic_seconds() when the command started
  /// Device, precision (and why) and threads of a torch run; none for the classical tasks.
  std::optional<train::ResolvedRuntime> runtime;
};

/// Writes `summary` with wall_time_s (and device, precision, precision_reason and threads for a
/// torch run) atomically, and returns what was written.
config::Json write_summary(const RunPaths& paths, config::Json summary, const RunFacts& facts);

}  // namespace alloyml::run
