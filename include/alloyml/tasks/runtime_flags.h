#pragma once
// The command-line flags every command shares, applied over a config's runtime section.
#include "alloyml/core/config.h"
#include "alloyml/run/run_dir.h"
#include "alloyml/tasks/commands.h"
#include "alloyml/train/options.h"

namespace alloyml::tasks {

/// Writes --device/--precision/--threads into the config's runtime section (flags win).
void apply_common_flags(config::Json& user_config, const CommonFlags& flags);

/// The runtime options for eval/predict: the run's config, then the flags.
train::RuntimeOptions runtime_for(const run::Run& run, const CommonFlags& flags);

}  // namespace alloyml::tasks
