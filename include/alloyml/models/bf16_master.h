#pragma once
// bf16 copies of fp32 master weights, shared by bf16 training's convolutions (conv_forward) and
// the fused Adam step (train/optimizer.cpp). Includes torch: torch translation units only.
//
// Under autocast every step casts each convolution weight to bf16 for the forward and casts its
// bf16 gradient back to fp32 for the optimiser, which then reads it once more: on a ResNet34
// that is about 300 MB of memory traffic a step besides the optimiser's own. Here the optimiser
// writes the bf16 copy as it updates the fp32 weight (one more store in a pass it makes anyway),
// and once it has said it takes bf16 gradients, the backward leaves the gradient in bf16 for it
// instead of handing autograd an fp32 copy. Weights and optimiser state stay fp32.
#include <memory>

#include <torch/torch.h>

namespace alloyml::models {

/// What is kept for one fp32 weight.
struct Bf16Master {
  torch::Tensor copy;  ///< bf16, in the weight's layout; current while the weight is unchanged
  /// Set by an optimiser that updates the weight from `grad` (and keeps `copy` current).
  bool optimiser_takes_bf16_gradients = false;
  torch::Tensor grad;  ///< bf16 gradient summed over backwards since the optimiser's last step
  /// The weight when `copy` was written: an in-place change of the weight (a checkpoint loaded,
  /// another optimiser) moves its version counter and outdates the copy.
  int64_t version = -1;
  const void* data = nullptr;
};

/// The entry of the dense fp32 CPU tensor `w`, made if `create` (else nullptr when it has none).
/// Entries of tensors that no longer exist are dropped.
std::shared_ptr<Bf16Master> bf16_master(const torch::Tensor& w, bool create);

/// The bf16 copy of `w` for a forward: the one kept for it if still current, else a new cast
/// (kept for the next call).
torch::Tensor bf16_weight(const torch::Tensor& w);

/// Marks the entry's copy as matching `w` as it is now (after an optimiser wrote both).
void mark_current(Bf16Master& entry, const torch::Tensor& w);

/// The gradient of `w` computed in bf16, as a backward hands it to autograd: kept in bf16 for an
/// optimiser that takes it (and an undefined tensor returned, so w.grad() stays undefined), else
/// returned in fp32 in w's layout.
torch::Tensor hand_over_weight_gradient(const torch::Tensor& w, const torch::Tensor& grad_bf16);

}  // namespace alloyml::models
