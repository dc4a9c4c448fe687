#pragma once
// The networks of CycleGAN (Zhu, Park, Isola and Efros, ICCV 2017) as their public PyTorch code
// defines them (networks.py: ResnetGenerator, NLayerDiscriminator, instance norm), with its
// parameter names (model.N..., model.N.conv_block.M...), so its released generators load 1:1.
#include <cstdint>

#include <torch/torch.h>

namespace alloyml::models {

/// Options of the ResNet generator ("resnet_generator").
struct GeneratorOptions {
  /// Image channels in (1 grey, 3 RGB). Default 3.
  int64_t in_channels = 3;
  /// Image channels out. Default 3.
  int64_t out_channels = 3;
  /// Filters of the first layer (ngf). Default 64.
  int64_t ngf = 64;
  /// Residual blocks at the bottleneck: 9 for 256 px, 6 for 128 px and less. Default 9.
  int64_t blocks = 9;
  /// Dropout 0.5 inside the residual blocks (off in CycleGAN). Default false.
  bool dropout = false;
};

/// Options of the PatchGAN discriminator ("patchgan").
struct DiscriminatorOptions {
  /// Image channels. Default 3.
  int64_t in_channels = 3;
  /// Filters of the first layer (ndf). Default 64.
  int64_t ndf = 64;
  /// Strided layers; 3 gives the 70 x 70 PatchGAN. Default 3.
  int64_t layers = 3;
};

/// One residual block: reflect-pad, 3x3 conv, instance norm, ReLU, reflect-pad, 3x3 conv,
/// instance norm, added to the input ("conv_block" as in the reference code).
struct ResnetBlockImpl : torch::nn::Module {
  ResnetBlockImpl(int64_t dim, bool dropout);
  torch::Tensor forward(const torch::Tensor& x);
  torch::nn::Sequential conv_block{nullptr};
};
TORCH_MODULE(ResnetBlock);

/// Reflection pad and 7x7 stem, two stride-2 convolutions, `blocks` residual blocks, two
/// transposed convolutions back up, reflection pad, 7x7 convolution and tanh. Sizes divisible by
/// 4 come back unchanged.
struct ResnetGeneratorImpl : torch::nn::Module {
  explicit ResnetGeneratorImpl(const GeneratorOptions& o);
  torch::Tensor forward(const torch::Tensor& x);
  torch::nn::Sequential model{nullptr};
};
TORCH_MODULE(ResnetGenerator);

/// The PatchGAN: 4x4 convolutions, stride 2 for `layers` layers (instance norm after all but the
/// first), then two stride-1 ones; LeakyReLU 0.2. One real/fake logit per patch (70 x 70 for
/// layers 3: a 256 px image gives 30 x 30 patches).
struct PatchDiscriminatorImpl : torch::nn::Module {
  explicit PatchDiscriminatorImpl(const DiscriminatorOptions& o);
  torch::Tensor forward(const torch::Tensor& x);
  torch::nn::Sequential model{nullptr};
};
TORCH_MODULE(PatchDiscriminator);

/// CycleGAN's initialisation (init_weights 'normal', gain 0.02): convolution weights N(0, 0.02),
/// biases 0.
void init_gan_weights(torch::nn::Module& module);

}  // namespace alloyml::models
