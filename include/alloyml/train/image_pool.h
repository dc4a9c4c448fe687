#pragma once
// CycleGAN's history of generated images (Shrivastava et al. 2017; the public code's ImagePool):
// the discriminator sees, for each new fake, with probability one half a stored older fake (the
// new one taking its place) once the pool is full. Its contents and draws are checkpointed, so a
// resumed run continues exactly. Torch units only.
#include <cstdint>

#include <torch/torch.h>

namespace alloyml::train {

class ImagePool {
 public:
  /// `capacity` images (50 in CycleGAN; 0 passes every image through).
  explicit ImagePool(int64_t capacity) : capacity_(capacity) {}
  /// The batch the discriminator sees for the new fakes `images` (N x C x H x W, detached).
  /// `generator` draws the coin flips and the slots.
  torch::Tensor query(const torch::Tensor& images, torch::Generator& generator);
  /// The stored images (K x C x H x W, K <= capacity; undefined while empty), for checkpoints.
  torch::Tensor& images() { return stored_; }
  /// Images held (a checkpoint restores an empty pool as a 0-element tensor).
  int64_t size() const { return stored_.defined() && stored_.dim() == 4 ? stored_.size(0) : 0; }

 private:
  int64_t capacity_;
  torch::Tensor stored_;
};

}  // namespace alloyml::train
