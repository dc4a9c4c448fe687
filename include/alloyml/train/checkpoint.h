#pragma once
// Checkpoint files: a torch archive with the model ("model"), the optimisers ("optim0", ...)
// and named scalars ("extra": trainer, callback and task state).
#include <string>
#include <vector>

#include <torch/torch.h>

#include "alloyml/train/task.h"

namespace alloyml::train {

void save_checkpoint_file(const std::string& path, torch::nn::Module& model,
                          const std::vector<torch::optim::Optimizer*>& optimizers, const Scalars& extra);

/// Restores into `model` and `optimizers` (either may be skipped with nullptr/empty) and returns
/// the scalars. Errors name the file.
Scalars load_checkpoint_file(const std::string& path, torch::nn::Module* model,
                             const std::vector<torch::optim::Optimizer*>& optimizers);

}  // namespace alloyml::train
