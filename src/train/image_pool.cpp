#include "alloyml/train/image_pool.h"

#include <vector>

namespace alloyml::train {

torch::Tensor ImagePool::query(const torch::Tensor& images, torch::Generator& generator) {
  if (capacity_ <= 0) return images;
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> out;
  for (int64_t i = 0; i < images.size(0); ++i) {
    const auto image = images[i].detach().clone();
    if (size() < capacity_) {  // filling: store and return the new image
      stored_ = size() > 0 ? torch::cat({stored_, image.unsqueeze(0)}) : image.unsqueeze(0);
      out.push_back(image);
      continue;
    }
    const double coin = torch::rand({1}, generator).item<double>();
    if (coin > 0.5) {  // an older image, replaced by the new one
      const int64_t slot = torch::randint(0, capacity_, {1}, generator).item<int64_t>();
      out.push_back(stored_[slot].clone());
      stored_[slot].copy_(image);
    } else {
      out.push_back(image);
    }
  }
  return torch::stack(out);
}

}  // namespace alloyml::train
