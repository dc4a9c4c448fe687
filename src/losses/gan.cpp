#include "alloyml/losses/gan.h"

namespace alloyml::losses {

torch::Tensor lsgan_loss(const torch::Tensor& prediction, bool target_is_real) {
  return (target_is_real ? (prediction - 1.0) : prediction).pow(2).mean();
}

torch::Tensor l1_loss(const torch::Tensor& a, const torch::Tensor& b) { return (a - b).abs().mean(); }

}  // namespace alloyml::losses
