#pragma once
// Optimisers shared by the torch tasks (torch translation units only).
#include <memory>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <torch/torch.h>

#include "alloyml/models/classifier.h"
#include "alloyml/models/options.h"
#include "alloyml/train/options.h"

namespace alloyml::train {

/// torch::optim::Adam and AdamW with the same options, state and checkpoint format, whose step
/// updates each fp32 CPU parameter in one fused pass (train/fused_kernels.h) instead of six
/// tensor operations. Anything else (amsgrad, other dtypes or devices, mismatched layouts) takes
/// LibTorch's own step.
class FusedAdam : public torch::optim::Adam {
 public:
  using torch::optim::Adam::Adam;
  torch::Tensor step(LossClosure closure = nullptr) override;
};

class FusedAdamW : public torch::optim::AdamW {
 public:
  using torch::optim::AdamW::AdamW;
  torch::Tensor step(LossClosure closure = nullptr) override;
};

/// Drops every parameter's gradient before a step's backward, as PyTorch's
/// zero_grad(set_to_none=True) (LibTorch 1.13's C++ zero_grad only zeroes them): the backward
/// then hands each gradient over instead of adding it into a zeroed one, which saves a fill and a
/// read-add pass over all gradients per step. A parameter that gets no gradient in a step is
/// left alone by the step, as in PyTorch.
void clear_gradients(torch::optim::Optimizer& optimizer);

/// One optimiser over parameter groups, each with its own learning rate (Adam and AdamW fused).
std::unique_ptr<torch::optim::Optimizer> make_optimizer(
    const OptimOptions& options, const std::vector<std::pair<std::vector<torch::Tensor>, double>>& groups);

/// The model's parameters split into backbone and classifier head (by classifier_prefixes()), so
/// transfer learning can give them their own rates and freeze the backbone. Parameters the model
/// froze itself are in neither.
std::pair<std::vector<torch::Tensor>, std::vector<torch::Tensor>> backbone_and_head(models::ClassifierImpl& model);

/// Sets every parameter group's rate to its base rate times `factor`; returns the first group's.
double scale_learning_rates(torch::optim::Optimizer& optimizer, const std::vector<double>& base_lrs, double factor);


}  // namespace alloyml::train
