#pragma once
// Losses of classifiers. Torch units only.
#include <torch/torch.h>

namespace alloyml::losses {

/// Mean cross-entropy of `logits` (N x K, fp32) against class indices `target` (N), with label
/// smoothing and optional per-class weights (undefined tensor: none), as torch.nn.CrossEntropyLoss.
torch::Tensor cross_entropy(const torch::Tensor& logits, const torch::Tensor& target, double label_smoothing,
                            const torch::Tensor& class_weights);

}  // namespace alloyml::losses
