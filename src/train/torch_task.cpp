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

void TorchTask::hold_tensor(const std::string& name, torch::Tensor& tensor, bool summed) {
  held_.tensors[name] = &tensor;
  if (summed) summed_tensors_.emplace_back(name, &tensor);
}

void TorchTask::hold_scalar(const std::string& name, double& value, bool summed) {
  scalars_.emplace_back("task." + name, &value);
  if (summed) summed_scalars_.push_back(&value);
}

void TorchTask::share_training(torch::nn::Module& model, const std::vector<torch::Tensor>& parameters) {
  auto* group = dist::data_parallel();
  if (!group) return;
  dist::broadcast_module(*group, model);
  reducer_ = std::make_shared<dist::GradientReducer>(*group, parameters, dist::overlap_backward());
}

void TorchTask::begin_gradients(double samples) {
  samples_ = samples;
  if (reducer_) reducer_->begin(samples);
}

double TorchTask::reduce_gradients() { return reducer_ ? reducer_->reduce() : samples_; }

std::vector<double> job_sum(std::vector<double> values) {
  if (auto* group = dist::data_parallel()) group->sum(values);
  return values;
}

torch::Tensor job_sum(const torch::Tensor& tensor) {
  auto* group = dist::data_parallel();
  if (!group) return tensor;
  auto t = tensor.clone();
  dist::sum(*group, t);
  return t;
}

void TorchTask::gather_for_checkpoint() {
  gathered_scalars_.clear();
  gathered_tensors_.clear();
  if (!dist::data_parallel()) return;
  std::vector<double> v;
  for (double* p : summed_scalars_) v.push_back(*p);
  v = job_sum(v);
  for (size_t i = 0; i < v.size(); ++i) gathered_scalars_[summed_scalars_[i]] = v[i];
  for (const auto& [name, t] : summed_tensors_) gathered_tensors_[name] = job_sum(*t);
}

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
  for (const auto& [name, value] : scalars_) {
    const auto it = gathered_scalars_.find(value);
    s.scalars[name] = it != gathered_scalars_.end() ? it->second : *value;
  }
  for (auto& [name, t] : gathered_tensors_) s.tensors[name] = &t;
  save_checkpoint_file(path, s);
}

Scalars TorchTask::load_checkpoint(const std::string& path) {
  Scalars extra = load_checkpoint_file(path, held_);
  for (const auto& [name, value] : scalars_) {
    const auto it = extra.find(name);
    if (it == extra.end()) throw InputError(path + ": the checkpoint has no scalar '" + name + "'");
    *value = it->second;
  }
  if (!dist::writes_training()) {  // rank 0 carries the job's running sums on
    for (double* p : summed_scalars_) *p = 0;
    for (auto& [name, t] : summed_tensors_) t->zero_();
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
