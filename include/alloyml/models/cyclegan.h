#pragma once
// The networks of CycleGAN (Zhu, Park, Isola and Efros, ICCV 2017) as their public PyTorch code
// defines them (networks.py: ResnetGenerator, NLayerDiscriminator, instance norm), with its
// parameter names (model.N..., model.N.conv_block.M...), so its released generators load 1:1.
#include <cstdint>

#include <torch/torch.h>

#include "alloyml/models/gan_options.h"

namespace alloyml::models {

/// What a generator or discriminator family is to the CycleGAN task: one image batch in, one
/// tensor out (images, or a map of patch logits).
struct ImageNetworkImpl : torch::nn::Module {
  virtual torch::Tensor forward(const torch::Tensor& x) = 0;
};
using ImageNetwork = std::shared_ptr<ImageNetworkImpl>;

/// One residual block: reflect-pad, 3x3 conv, norm, ReLU, reflect-pad, 3x3 conv, norm, added to
/// the input ("conv_block" as in the reference code; the norm is GeneratorOptions::norm).
struct ResnetBlockImpl : torch::nn::Module {
  ResnetBlockImpl(int64_t dim, bool dropout, const std::string& norm = "instance");
  torch::Tensor forward(const torch::Tensor& x);
  torch::nn::Sequential conv_block{nullptr};
};
TORCH_MODULE(ResnetBlock);

/// Reflection pad and 7x7 stem, two stride-2 convolutions, `blocks` residual blocks, two
/// transposed convolutions back up, reflection pad, 7x7 convolution and tanh. Sizes divisible by
/// 4 come back unchanged.
/// A norm (GeneratorOptions::norm) follows every convolution but the last, the stem's unless
/// GeneratorOptions::stem_norm is false.
struct ResnetGeneratorImpl : ImageNetworkImpl {
  explicit ResnetGeneratorImpl(const GeneratorOptions& o);
  torch::Tensor forward(const torch::Tensor& x) override;
  torch::nn::Sequential model{nullptr};
};
TORCH_MODULE(ResnetGenerator);

/// The PatchGAN: 4x4 convolutions, stride 2 for `layers` layers (instance norm after all but the
/// first), then two stride-1 ones; LeakyReLU 0.2. One real/fake logit per patch (70 x 70 for
/// layers 3: a 256 px image gives 30 x 30 patches).
struct PatchDiscriminatorImpl : ImageNetworkImpl {
  explicit PatchDiscriminatorImpl(const DiscriminatorOptions& o);
  torch::Tensor forward(const torch::Tensor& x) override;
  torch::nn::Sequential model{nullptr};
};
TORCH_MODULE(PatchDiscriminator);

/// CycleGAN's initialisation (init_weights 'normal', gain 0.02): convolution weights N(0, 0.02),
/// biases 0.
void init_gan_weights(torch::nn::Module& module);

}  // namespace alloyml::models
