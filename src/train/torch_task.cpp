#include "alloyml/train/torch_task.h"

#include <cmath>

#include "alloyml/core/error.h"
#include "alloyml/train/optimizer.h"

namespace alloyml::train {

void TorchTask::hold_module(const std::string& name, torch::nn::Module& module) { held_.modules[name] = &module; }

void TorchTask::hold_optimizer(const std::string& name, torch::optim::Optimizer& optimizer) {
  held_.optimizers[name] = &optimizer;
  std::vector<double> lrs;
  for (auto& g : optimizer.param_groups()) lrs.push_back(g.options().get_lr());
  base_lrs_.emplace_back(&optimizer, std::move(lrs));
}

void TorchTask::hold_tensor(const std::string& name, torch::Tensor& tensor) { held_.tensors[name] = &tensor; }

void TorchTask::hold_scalar(const std::string& name, double& value) { scalars_.emplace_back("task." + name, &value); }

double TorchTask::set_lr_factor(double factor) {
  double first = 0;
  for (size_t i = 0; i < base_lrs_.size(); ++i) {
    const double lr = scale_learning_rates(*base_lrs_[i].first, base_lrs_[i].second, factor);
    if (i == 0) first = lr;
  }
  return first;
}

void TorchTask::save_checkpoint(const std::string& path, const Scalars& extra) {
  CheckpointState s = held_;
  s.scalars = extra;
  for (const auto& [name, value] : scalars_) s.scalars[name] = *value;
  save_checkpoint_file(path, s);
}

Scalars TorchTask::load_checkpoint(const std::string& path) {
  Scalars extra = load_checkpoint_file(path, held_);
  for (const auto& [name, value] : scalars_) {
    const auto it = extra.find(name);
    if (it == extra.end()) throw InputError(path + ": the checkpoint has no scalar '" + name + "'");
    *value = it->second;
  }
  return extra;
}

double TorchTask::finite_loss(const torch::Tensor& loss, int epoch) {
  const double l = loss.item<double>();
  if (!std::isfinite(l))
    throw Error("training diverged: loss is " + std::to_string(l) + " at epoch " + std::to_string(epoch + 1) +
                "; lower optim.lr");
  return l;
}

}  // namespace alloyml::train
