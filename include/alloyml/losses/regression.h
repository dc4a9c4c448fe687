#pragma once
// Losses of regressors. Torch units only.
#include <string>

#include <torch/torch.h>

namespace alloyml::losses {

/// Per-sample loss (no reduction) of `prediction` against `target`: "mse", "l1" or "huber"
/// (quadratic within `huber_delta`, linear beyond). InputError for another name.
torch::Tensor pointwise_regression_loss(const std::string& name, const torch::Tensor& prediction,
                                        const torch::Tensor& target, double huber_delta);

}  // namespace alloyml::losses
