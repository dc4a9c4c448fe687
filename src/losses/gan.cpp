#include "alloyml/losses/gan.h"

#include "alloyml/losses/regression.h"

namespace alloyml::losses {

torch::Tensor lsgan_loss(const torch::Tensor& prediction, bool target_is_real) {
  const auto target = target_is_real ? torch::ones_like(prediction) : torch::zeros_like(prediction);
  return pointwise_regression_loss("mse", prediction, target, 0.0).mean();
}

}  // namespace alloyml::losses
