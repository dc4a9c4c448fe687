#pragma once
// Convolution pieces shared by the CNN families: the conv + BN shortcut, batch-norm folding, the
// small-map weight gradient, the channels-last max pool and oneDNN-packed inference convolutions.
#include <vector>

#include <torch/torch.h>

namespace alloyml::nn {

/// A k x k convolution with padding k / 2 (torchvision's conv3x3 / conv1x1).
torch::nn::Conv2d conv(int64_t in, int64_t out, int64_t k, int64_t stride = 1, int64_t groups = 1, bool bias = false);

/// The 1x1 conv + BN shortcut (downsample.0 / downsample.1), or empty when not needed.
torch::nn::Sequential make_downsample(int64_t inplanes, int64_t outplanes, int64_t stride);

/// Folds an eval-mode batch norm into the convolution before it: w' = w * g / sqrt(v + eps),
/// b' = beta + (b - mean) * g / sqrt(v + eps). Inference only.
void fold_batchnorm(torch::nn::Conv2dImpl& conv, const torch::nn::BatchNorm2dImpl& bn);

/// Output maps at or below this many pixels per image (2x2) take the weight gradient as one
/// matrix product over unfolded input columns.
constexpr int64_t kSmallMapPixels = 4;
/// Unit-stride k x k convolutions (k > 1) with output maps at or below this many pixels per image
/// (4x4) take the weight gradient as a transposed forward convolution.
constexpr int64_t kTransposedConvPixels = 16;

/// `conv` applied to `x`, as conv->forward(x). When a gradient will be taken in bf16 (autocast)
/// and the output map is small, the weight gradient avoids oneDNN's backward-weights kernel,
/// which on ResNet's last two stages at 64 px input (4x4 and 2x2 maps) is 2-4x slower than the
/// alternatives (bench/README.md): for unit-stride 3x3 convolutions up to 4x4 output, oneDNN's
/// forward convolution of the input with images and channels swapped, by grad_out as the kernel;
/// otherwise, up to 2x2 output, one matrix product over unfolded input columns. Same result
/// within rounding; ungrouped, unbiased, undilated convs only. Only where LibTorch runs bf16 on
/// oneDNN (onednn_runs_bf16): elsewhere conv->forward(x).
torch::Tensor conv_forward(torch::nn::Conv2dImpl& conv, const torch::Tensor& x);

/// True when LibTorch runs bf16 convolutions and matrix products on oneDNN: oneDNN is enabled and
/// the CPU has avx512bw, avx512vl and avx512dq (LibTorch 1.13's own test, by CPUID). Elsewhere
/// (AVX2-only CPUs) LibTorch's generic bf16 kernels sum some products in bf16, and the small-map
/// routes, tuned for oneDNN, stray from fp32 by the whole gradient's scale (resnet_test.cpp).
bool onednn_runs_bf16();

/// torch::max_pool2d(x, kernel, stride, padding, 1, ceil_mode); a bf16 NCHW `x` is pooled in
/// channels-last layout (forward and backward; the result is NCHW). LibTorch 1.13's NCHW max
/// pool with indices is not vectorised: on ResNet's 64-channel stem output at 64 px input and
/// batch 32, forward and backward take 9-10 ms in bf16, against 2.5-4 ms including the layout
/// conversions (bench/README.md). In fp32 the conversions eat the gain, so fp32 stays as it was.
torch::Tensor max_pool2d_nhwc(const torch::Tensor& x, int64_t kernel, int64_t stride, int64_t padding, bool ceil_mode);

/// The shortcut branch: identity, downsample, or (after folding) its convolution alone.
torch::Tensor shortcut(torch::nn::Sequential& downsample, const torch::Tensor& x, bool folded);

/// A convolution (batch norm folded in) with its weight pre-packed in oneDNN's blocked layout,
/// run on oneDNN tensors: what torch.jit.optimize_for_inference turns a frozen convolution into.
/// Inference only, on CPU.
struct PackedConv {
  PackedConv() = default;
  PackedConv(const torch::nn::Conv2dImpl& conv, torch::ScalarType dtype);
  /// `x` is a oneDNN tensor of the packed dtype; so is the result.
  torch::Tensor operator()(const torch::Tensor& x) const;
  torch::Tensor weight, bias;
  std::vector<int64_t> stride, padding, dilation;
  int64_t groups = 1;
};

/// Folds the batch norm of a downsample shortcut into its convolution (no-op without one).
void fold_downsample(torch::nn::Sequential& downsample);

/// Appends the packed convolution of a downsample shortcut (no-op without one).
void pack_downsample(std::vector<PackedConv>& packed, torch::nn::Sequential& downsample, torch::ScalarType dtype);

}  // namespace alloyml::nn
