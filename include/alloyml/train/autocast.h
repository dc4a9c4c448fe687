#pragma once
// bf16 mixed precision for a scope (LibTorch's autocast, as Python's torch.autocast): matrix
// products and convolutions run in bf16, parameters, optimiser state, batch-norm statistics and
// the loss stay fp32. Includes torch: torch translation units only.
#include <ATen/autocast_mode.h>
#include <torch/torch.h>

namespace alloyml::train {

class AutocastGuard {
 public:
  AutocastGuard(bool enabled, const torch::Device& device) : enabled_(enabled), cuda_(device.is_cuda()) {
    if (!enabled_) return;
    if (cuda_) {
      previous_ = at::autocast::is_enabled();
      at::autocast::set_enabled(true);
      at::autocast::set_autocast_gpu_dtype(at::kBFloat16);
    } else {
      previous_ = at::autocast::is_cpu_enabled();
      at::autocast::set_cpu_enabled(true);
      at::autocast::set_autocast_cpu_dtype(at::kBFloat16);
    }
    at::autocast::increment_nesting();
  }
  ~AutocastGuard() {
    if (!enabled_) return;
    if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();  // cached bf16 weight copies
    if (cuda_) at::autocast::set_enabled(previous_);
    else at::autocast::set_cpu_enabled(previous_);
  }
  AutocastGuard(const AutocastGuard&) = delete;
  AutocastGuard& operator=(const AutocastGuard&) = delete;

 private:
  bool enabled_, cuda_, previous_ = false;
};

}  // namespace alloyml::train
