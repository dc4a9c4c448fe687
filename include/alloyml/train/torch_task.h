#pragma once
// The base of every task that trains torch networks. A subclass names, once, what its checkpoints
// hold (networks, optimisers, tensor state, scalars); the base then saves and restores them,
// scales every optimiser's rates for the schedule, and stops a diverged run. A classifier holds
// one network and one optimiser; relational distillation a teacher and a student; a CycleGAN two
// generators, two discriminators, two optimisers and two image pools. Torch units only.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "alloyml/dist/tensors.h"
#include "alloyml/train/checkpoint.h"
#include "alloyml/train/task.h"

namespace alloyml::train {

/// Where a part of a task (an objective) puts the state its checkpoints must hold.
/// The job's sums of `values` (the values themselves for a single process).
std::vector<double> job_sum(std::vector<double> values);
/// The job's sum of `tensor` (a copy; the tensor itself for a single process).
torch::Tensor job_sum(const torch::Tensor& tensor);

class StateHolder {
 public:
  /// Tensor state saved under `name`. `summed`: each worker of a data-parallel job accumulates
  /// its own part (a confusion matrix of the epoch); a checkpoint holds the job's sum, and on
  /// resume rank 0 takes it and the others start at zero.
  virtual void hold_tensor(const std::string& name, torch::Tensor& tensor, bool summed = false) = 0;
  /// A scalar saved as "task.<name>" (running sums of the epoch); `summed` as above.
  virtual void hold_scalar(const std::string& name, double& value, bool summed = false) = 0;

 protected:
  ~StateHolder() = default;
};

class TorchTask : public Task, public StateHolder {
 public:
  /// Every held optimiser's groups at their base rates times `factor`; returns the first one's.
  double set_lr_factor(double factor) override;
  void save_checkpoint(const std::string& path, const Scalars& extra) override;
  Scalars load_checkpoint(const std::string& path) override;
  void gather_for_checkpoint() override;

 protected:
  /// A network saved under `name` ("model" for a task of one network).
  void hold_module(const std::string& name, torch::nn::Module& module);
  /// An optimiser saved under `name` ("optim0" for a task of one network); its groups' current
  /// rates become their base rates.
  void hold_optimizer(const std::string& name, torch::optim::Optimizer& optimizer);
  /// Tensor state (an image pool, running statistics) and scalars, as StateHolder says.
  void hold_tensor(const std::string& name, torch::Tensor& tensor, bool summed = false) override;
  void hold_scalar(const std::string& name, double& value, bool summed = false) override;

  /// Data-parallel training (a no-op for a single process): every worker takes rank 0's weights
  /// of `model`, and reduce_gradients() will average the gradients of `parameters`.
  void share_training(torch::nn::Module& model, const std::vector<torch::Tensor>& parameters);
  /// Before backward(): this worker's batch size (data-parallel training only).
  void begin_gradients(double samples);
  /// After backward(): the job's mean gradient on every worker. Returns the job's batch size
  /// (`samples` of begin_gradients for a single process).
  double reduce_gradients();
  /// Whether this task is one worker of a data-parallel job.
  bool distributed() const { return reducer_ != nullptr; }

  /// The loss as a number; Error when it is not finite ("training diverged", with the epoch).
  static double finite_loss(const torch::Tensor& loss, int epoch);

 private:
  CheckpointState held_;
  std::vector<std::pair<std::string, double*>> scalars_;
  std::vector<double*> summed_scalars_;
  std::vector<std::pair<std::string, torch::Tensor*>> summed_tensors_;
  std::map<double*, double> gathered_scalars_;   ///< the job's sums, for the next save
  std::map<std::string, torch::Tensor> gathered_tensors_;
  std::shared_ptr<dist::GradientReducer> reducer_;
  double samples_ = 0;
  std::vector<std::pair<torch::optim::Optimizer*, std::vector<double>>> base_lrs_;
};

}  // namespace alloyml::train
