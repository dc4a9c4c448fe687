#pragma once
// Losses of classifiers. Torch units only.
#include <cstdint>
#include <vector>

#include <torch/torch.h>

namespace alloyml::losses {

/// Mean cross-entropy of `logits` (N x K, fp32) against class indices `target` (N), with label
/// smoothing and optional per-class weights (undefined tensor: none), as torch.nn.CrossEntropyLoss.
torch::Tensor cross_entropy(const torch::Tensor& logits, const torch::Tensor& target, double label_smoothing,
                            const torch::Tensor& class_weights);

/// The adaptive class weights of Huang et al. 2023 (Eqs. 12-15), from the confusion of the
/// training predictions of the last epoch (`confusion[t][p]`, K x K) and the training images per
/// class (`counts`). Per class c: recall A_c = TP/(TP+FN) (the class's accuracy, Eq. 12), true-
/// negative rate S_c = TN/(TN+FP) (Eq. 13, printed as FPR), G_c = sqrt(A_c S_c) (Eq. 14),
/// imbalance ratio K_c = max_j n_j / n_c, and
///   w_c = 1 + tanh(K_c (1 - (A_c + G_c) / 2))                           (Eq. 15)
/// in [1, 2): a class the network already gets right keeps weight 1, a rare class it misses
/// approaches 2. An empty confusion (before the first epoch) counts as all wrong, so the first
/// epoch's weights come from K alone. See docs/methods.md for the reading.
std::vector<double> adaptive_gmean_weights(const std::vector<std::vector<std::int64_t>>& confusion,
                                           const std::vector<std::int64_t>& counts);

/// The adaptive loss (Huang et al. 2023, Eqs. 16-17): per sample, its class weight times the
/// cross-entropy plus `beta` times the squared distance between the softmax and the one-hot
/// target, averaged over the batch: mean_i w_{y_i} (-log p_{i,y_i} + beta ||p_i - e_{y_i}||^2).
torch::Tensor adaptive_gmean_loss(const torch::Tensor& logits, const torch::Tensor& target, const torch::Tensor& weights,
                                  double beta);

}  // namespace alloyml::losses
