#pragma once
// Config keys several tasks share, added to a task's schema by its options file. Each key's
// default is read from the options struct that receives it, so the schema, --list-keys, the
// resolved config.json and the code hold one default.
#include <string>
#include <vector>

#include "alloyml/core/config.h"
#include "alloyml/models/options.h"
#include "alloyml/train/options.h"

namespace alloyml::tasks {

/// version, task, name, seed, runtime.* and output.*.
void add_common_keys(config::Schema& s);

/// model.*: a registered (or claimed) network's name, checked with a "did you mean", and the keys
/// of ModelOptions with `model`'s defaults.
void add_model_keys(config::Schema& s, const models::ModelOptions& model, const std::vector<std::string>& claimed_models);

/// The keys of a torch classifier and its training: model.*, transfer.*, then add_training_keys,
/// each default the one of the task's own structs. `claimed_models`: names valid besides the
/// registered networks; `monitors`: what train.monitor accepts.
void add_network_keys(config::Schema& s, const models::ModelOptions& model, const train::TransferOptions& transfer,
                      const train::OptimOptions& optim, const train::ScheduleOptions& schedule,
                      const train::TrainOptions& train, const std::vector<std::string>& claimed_models,
                      const std::vector<std::string>& monitors);

/// Checks across add_network_keys' keys: model.width away from its default for a registered
/// network whose layout is fixed (every family but the ResNets) is an InputError naming the key,
/// not a value silently ignored. Models a task claims (the classical baselines) are not networks.
void check_network_keys(const config::Json& resolved, const std::string& source);

/// Checks across the input keys of an image task: input.channels 1 or 3, input.mean and input.std
/// of one value or one per channel, and input.um_per_px with data.scale_column and no input.resize.
void check_input_keys(const config::Json& resolved, const std::string& source);

/// optim.*, schedule.* and train.* (epochs, batch size, monitor, early stopping, log interval)
/// with the defaults of the given structs (a CycleGAN's Adam differs from a classifier's).
/// `monitors`: what train.monitor accepts besides "none"; its default is `train.monitor`.
void add_training_keys(config::Schema& s, const train::OptimOptions& optim, const train::ScheduleOptions& schedule,
                       const train::TrainOptions& train, const std::vector<std::string>& monitors);

/// data.split.val, data.split.test and data.split.seed, with the task's wording of each.
void add_split_keys(config::Schema& s, const std::string& val_help, const std::string& test_help,
                    const std::string& seed_help);

}  // namespace alloyml::tasks
