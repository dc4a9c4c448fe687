#pragma once
// Residual shrinkage: soft thresholding with a threshold learned per channel (Zhao, Zhong, Fu,
// Tang and Pecht, "Deep residual shrinkage networks for fault diagnosis", IEEE TII 2020, the
// channel-wise variant DRSN-CW), and the self-adaptive directional-derivative threshold of the
// SARSN (Huang et al., Algorithms 16:516, 2023, Eq. 10). Torch units only.
#include <torch/torch.h>

namespace alloyml::nn {

/// Soft thresholding (Zhao et al. 2020, Eq. 1): y = sign(x) max(|x| - tau, 0). `tau` broadcasts
/// against `x` (N x C x 1 x 1 for a threshold per image and channel) and must be non-negative.
torch::Tensor soft_threshold(const torch::Tensor& x, const torch::Tensor& tau);

/// SADDT (Huang et al. 2023, Eq. 10): delta (x - tau) above tau, 0 within [-tau, tau],
/// delta (x + tau) below -tau; that is delta times the soft threshold. `delta` is the learned
/// directional derivative (slope), broadcast like `tau`.
torch::Tensor directional_threshold(const torch::Tensor& x, const torch::Tensor& tau, const torch::Tensor& delta);

/// The threshold sub-network of a residual shrinkage building unit, channel-wise (Zhao et al.
/// 2020, Fig. 4c): m = GAP(|x|) per channel, alpha = sigmoid(FC(ReLU(BN(FC(m))))), tau = alpha m.
/// tau lies in [0, mean |x|] of its channel, so the soft threshold never zeroes a whole channel.
struct ShrinkageImpl : torch::nn::Module {
  explicit ShrinkageImpl(int64_t channels);
  /// The thresholds tau (N x C x 1 x 1) of `x` (N x C x H x W).
  torch::Tensor threshold(const torch::Tensor& x);
  /// soft_threshold(x, threshold(x)).
  torch::Tensor forward(const torch::Tensor& x);
  torch::nn::Linear fc1{nullptr}, fc2{nullptr};
  torch::nn::BatchNorm1d bn{nullptr};
};
TORCH_MODULE(Shrinkage);

/// The self-adaptive directional-derivative threshold of a SARSN block (Huang et al. 2023,
/// Section 2.3.2), applied to the SE-rescaled residual x~ (Eq. 7). Per channel c:
///   tau_c = mean_uv sigmoid(x~_c) * mean_uv |x~_c|          (Eq. 11, read as in docs/methods.md)
///   y     = delta_c * soft_threshold(x~_c, tau_c)            (Eq. 10)
/// with delta the learned directional derivative (one per channel, initialised to 1). The printed
/// Eq. 11 multiplies by the squeeze R_s = GAP(x), which can be negative; the mean absolute value
/// keeps tau in [0, mean |x~_c|], as the DRSN threshold. Parameter: "delta" (C).
struct DirectionalShrinkageImpl : torch::nn::Module {
  explicit DirectionalShrinkageImpl(int64_t channels);
  /// The thresholds tau (N x C x 1 x 1) of the excitation output `x` (N x C x H x W).
  torch::Tensor threshold(const torch::Tensor& x);
  torch::Tensor forward(const torch::Tensor& x);
  torch::Tensor delta;
};
TORCH_MODULE(DirectionalShrinkage);

}  // namespace alloyml::nn
