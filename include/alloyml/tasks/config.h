#pragma once
// Loading a config (checked against its task's schema, found through the registry) and the
// conversion of each shared section into the options struct of the component that owns it. Non-torch translation units only (nlohmann_json).
#include <cstdint>
#include <string>
#include <vector>

#include "alloyml/core/config.h"
#include "alloyml/data/options.h"
#include "alloyml/models/options.h"
#include "alloyml/run/run_dir.h"
#include "alloyml/train/options.h"

namespace alloyml::tasks {

/// The keys every task has, read once: each task's options struct derives from this.
struct CommonOptions {
  std::string name;        ///< the run's name (default: the config file's stem)
  std::uint64_t seed = 0;  ///< weights, shuffling, augmentation and dropout
  bool report = true;      ///< write report.html
  train::RuntimeOptions runtime;
};

/// A nullable string key: its text, or `fallback` when it is null.
std::string text_or(const config::Json& value, const std::string& fallback = "");

/// name, seed, output.report and runtime of a resolved config.
CommonOptions common_options(const config::Json& resolved);

/// A config file as the user wrote it, unresolved: when it has "extends": "base.json" (a path
/// relative to it), the config it extends with its keys laid over, section by section.
config::Json load_user_config(const std::string& path);

/// Reads `path` (load_user_config), applies `overrides` (a.b=value) and resolves it against the
/// schema.
config::Json load_config(const std::string& path, const std::vector<std::string>& overrides);

/// Resolves an in-memory config (already overridden); `source` names it in messages.
config::Json resolve_config(const config::Json& user, const std::string& source);

data::DataOptions data_options(const config::Json& resolved);
/// data.split: val, test, seed, and by where the task has it.
data::SplitOptions split_options(const config::Json& split_section);
data::TransformOptions transform_options(const config::Json& input, const config::Json& augment);
/// The "model" section of a resolved config or of a run's model.json (`where` names it in
/// messages); a key the run's version did not write takes its default. InputError naming `where`
/// for a missing name or a value of the wrong type.
models::ModelOptions model_options(const config::Json& model_section, const std::string& where = "config");
/// The network options of a run, from its model.json.
models::ModelOptions model_options(const run::Run& run);
train::OptimOptions optim_options(const config::Json& section);
train::ScheduleOptions schedule_options(const config::Json& section);
train::LossOptions loss_options(const config::Json& section);
train::TransferOptions transfer_options(const config::Json& section);
train::TrainOptions train_options(const config::Json& section);
train::RuntimeOptions runtime_options(const config::Json& section);

config::Json to_json(const models::ModelOptions& o);

}  // namespace alloyml::tasks
