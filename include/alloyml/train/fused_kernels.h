#pragma once
// Element-wise optimiser updates in one pass over memory (torch-free; train/optimizer.cpp runs
// them in parallel over parameter tensors). LibTorch 1.13's Adam makes six passes per tensor,
// each a separate kernel that reads and writes whole tensors: for a ResNet34 that is a third of
// a small-image training step on 2 cores.
#include <cstdint>

namespace alloyml::train {

/// One Adam/AdamW step's constants, as torch::optim::Adam(W)::step derives them (step t >= 1):
///   g' = g + weight_decay * p                (Adam's L2 term; 0 for AdamW)
///   m  = beta1 m + (1 - beta1) g'
///   v  = beta2 v + (1 - beta2) g'^2
///   p  = p * decay - step_size * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
/// with step_size = lr / (1 - beta1^t) and decay = 1 - lr * weight_decay for AdamW, else 1.
struct AdamStep {
  float beta1 = 0.9f, beta2 = 0.999f;
  float l2 = 0;      ///< Adam's weight decay (added to the gradient)
  float decay = 1;   ///< AdamW's decoupled decay factor on the parameter
  float step_size = 0;
  float inv_sqrt_bias_correction2 = 1;
  float eps = 1e-8f;
};

/// Updates n elements of a parameter `p` and its state `m`, `v` from gradient `g`, in place.
void adam_update(float* p, const float* g, float* m, float* v, int64_t n, const AdamStep& s);

}  // namespace alloyml::train
