#pragma once
// ResNet building blocks with torchvision/timm parameter names (conv1, bn1, ..., se.fc1,
// downsample.0/1), so stock state dicts map 1:1.
#include <torch/torch.h>

namespace alloyml::models {

/// Squeeze-and-excitation as timm's SEModule: mean-pool, 1x1 conv fc1 (with bias), ReLU,
/// 1x1 conv fc2, sigmoid gate. Reduced channels: channels/16 rounded to a multiple of 8.
struct SEModuleImpl : torch::nn::Module {
  explicit SEModuleImpl(int64_t channels);
  torch::Tensor forward(const torch::Tensor& x);
  torch::nn::Conv2d fc1{nullptr}, fc2{nullptr};
};
TORCH_MODULE(SEModule);

/// timm's make_divisible(v, divisor, round_limit=0) as SEModule uses it.
int64_t se_reduced_channels(int64_t channels);

struct BlockOptions {
  int64_t inplanes = 64;   ///< input channels
  int64_t planes = 64;     ///< stage width (output = planes * expansion)
  int64_t stride = 1;      ///< on conv1 (basic) or conv2 (bottleneck, ResNet v1.5)
  int64_t groups = 1;      ///< cardinality (ResNeXt)
  int64_t base_width = 64; ///< ResNeXt width per group
  bool se = false;         ///< SE attention after the last batch norm, before the residual add
};

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
/// within rounding; ungrouped, unbiased, undilated convs only.
torch::Tensor conv_forward(torch::nn::Conv2dImpl& conv, const torch::Tensor& x);

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

struct BasicBlockImpl : torch::nn::Module {
  static constexpr int64_t kExpansion = 1;
  explicit BasicBlockImpl(const BlockOptions& o);
  torch::Tensor forward(const torch::Tensor& x);
  void fold_batchnorms();
  /// Packs the folded convolutions (conv1, conv2, downsample.0) for forward_packed.
  void pack(torch::ScalarType dtype);
  /// The block on a oneDNN tensor, with the packed convolutions. No SE.
  torch::Tensor forward_packed(const torch::Tensor& x);
  bool folded = false;
  std::vector<PackedConv> packed;
  torch::nn::Conv2d conv1{nullptr}, conv2{nullptr};
  torch::nn::BatchNorm2d bn1{nullptr}, bn2{nullptr};
  SEModule se{nullptr};
  torch::nn::Sequential downsample{nullptr};
};
TORCH_MODULE(BasicBlock);

struct BottleneckImpl : torch::nn::Module {
  static constexpr int64_t kExpansion = 4;
  explicit BottleneckImpl(const BlockOptions& o);
  torch::Tensor forward(const torch::Tensor& x);
  void fold_batchnorms();
  /// Packs the folded convolutions (conv1..conv3, downsample.0) for forward_packed.
  void pack(torch::ScalarType dtype);
  /// The block on a oneDNN tensor, with the packed convolutions. No SE.
  torch::Tensor forward_packed(const torch::Tensor& x);
  bool folded = false;
  std::vector<PackedConv> packed;
  torch::nn::Conv2d conv1{nullptr}, conv2{nullptr}, conv3{nullptr};
  torch::nn::BatchNorm2d bn1{nullptr}, bn2{nullptr}, bn3{nullptr};
  SEModule se{nullptr};
  torch::nn::Sequential downsample{nullptr};
};
TORCH_MODULE(Bottleneck);

}  // namespace alloyml::models
