#pragma once
// The base of every task that trains torch networks. A subclass names, once, what its checkpoints
// hold (networks, optimisers, tensor state, scalars); the base then saves and restores them,
// scales every optimiser's rates for the schedule, and stops a diverged run. A classifier holds
// one network and one optimiser; relational distillation a teacher and a student; a CycleGAN two
// generators, two discriminators, two optimisers and two image pools. Torch units only.
#include <string>
#include <vector>

#include <torch/torch.h>

#include "alloyml/train/checkpoint.h"
#include "alloyml/train/task.h"

namespace alloyml::train {

class TorchTask : public Task {
 public:
  /// Every held optimiser's groups at their base rates times `factor`; returns the first one's.
  double set_lr_factor(double factor) override;
  void save_checkpoint(const std::string& path, const Scalars& extra) override;
  Scalars load_checkpoint(const std::string& path) override;

 protected:
  /// A network saved under `name` ("model" for a task of one network).
  void hold_module(const std::string& name, torch::nn::Module& module);
  /// An optimiser saved under `name` ("optim0" for a task of one network); its groups' current
  /// rates become their base rates.
  void hold_optimizer(const std::string& name, torch::optim::Optimizer& optimizer);
  /// Tensor state saved under `name` (an image pool, running statistics).
  void hold_tensor(const std::string& name, torch::Tensor& tensor);
  /// A scalar of the task saved as "task.<name>" (running sums of the epoch).
  void hold_scalar(const std::string& name, double& value);

  /// The loss as a number; Error when it is not finite ("training diverged", with the epoch).
  static double finite_loss(const torch::Tensor& loss, int epoch);

 private:
  CheckpointState held_;
  std::vector<std::pair<std::string, double*>> scalars_;
  std::vector<std::pair<torch::optim::Optimizer*, std::vector<double>>> base_lrs_;
};

}  // namespace alloyml::train
