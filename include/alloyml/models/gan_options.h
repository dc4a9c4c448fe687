#pragma once
// Options of CycleGAN's generator and discriminator families, filled from a CycleGAN config's
// "model" section. Plain aggregates, no torch.
#include <cstdint>
#include <string>
#include <vector>

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
  /// Normalisation layers: "instance" (CycleGAN's), "batch" (the reference code's --norm batch:
  /// batch statistics in training, running ones when translating; convolutions lose their bias)
  /// or "none". Default "instance".
  std::string norm = "instance";
  /// Normalise the 7x7 stem's output. With instance norm there, a grey image's brightness and
  /// contrast cannot reach the rest of the network. Default true (the reference).
  bool stem_norm = true;
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

/// The registered generator and discriminator family names, sorted (implemented beside the registry).
std::vector<std::string> generator_names();
std::vector<std::string> discriminator_names();

}  // namespace alloyml::models
