#pragma once
// A loader's batch as the tensor a network reads. Torch units only.
#include <torch/torch.h>

#include "alloyml/data/loader.h"

namespace alloyml::train {

/// The images of `b` (N x C x H x W): a view of its buffer on the CPU (valid while the batch
/// lives, no copy), a copy on another device.
inline torch::Tensor batch_images(const data::Batch& b, const torch::Device& device) {
  auto t = torch::from_blob(const_cast<float*>(b.images.data()), {b.n, b.c, b.h, b.w}, torch::kFloat32);
  return device.is_cpu() ? t : t.to(device);
}

}  // namespace alloyml::train
