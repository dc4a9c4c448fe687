#pragma once
// Checkpoint files: one torch archive holding what a task names: modules ("model"; a distillation
// run's "teacher" and "student"; a CycleGAN's two generators and two discriminators), optimisers
// ("optim0", or one per network), tensor state (an image pool, the running statistics of a loss)
// and scalars (trainer, callback and task state). Names are letters, digits and '_'.
#include <map>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "alloyml/train/task.h"

namespace alloyml::train {

/// What a checkpoint holds, by name. The pointers are where it is read from and restored into.
struct CheckpointState {
  std::map<std::string, torch::nn::Module*> modules;
  std::map<std::string, torch::optim::Optimizer*> optimizers;
  std::map<std::string, torch::Tensor*> tensors;
  Scalars scalars;
};

/// Writes every named part of `state` to `path` (the caller makes the write atomic).
void save_checkpoint_file(const std::string& path, const CheckpointState& state);

/// Restores the modules, optimisers and tensors named in `state` (each must be in the file: an
/// InputError names the file and the missing part) and returns the file's scalars.
Scalars load_checkpoint_file(const std::string& path, const CheckpointState& state);

/// A single-network checkpoint: the module as "model", the optimisers as "optim0", "optim1", ...
void save_checkpoint_file(const std::string& path, torch::nn::Module& model,
                          const std::vector<torch::optim::Optimizer*>& optimizers, const Scalars& extra);

/// Restores a single-network checkpoint into `model` and `optimizers` (either may be skipped
/// with nullptr/empty) and returns the scalars. Errors name the file.
Scalars load_checkpoint_file(const std::string& path, torch::nn::Module* model,
                             const std::vector<torch::optim::Optimizer*>& optimizers);

}  // namespace alloyml::train
