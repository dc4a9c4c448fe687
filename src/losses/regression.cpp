#include "alloyml/losses/regression.h"

#include "alloyml/core/error.h"

namespace alloyml::losses {

torch::Tensor pointwise_regression_loss(const std::string& name, const torch::Tensor& pred, const torch::Tensor& target,
                                        double huber_delta) {
  namespace F = torch::nn::functional;
  if (name == "mse") return F::mse_loss(pred, target, F::MSELossFuncOptions().reduction(torch::kNone));
  if (name == "l1") return F::l1_loss(pred, target, F::L1LossFuncOptions().reduction(torch::kNone));
  if (name == "huber")
    return F::huber_loss(pred, target, F::HuberLossFuncOptions().reduction(torch::kNone).delta(huber_delta));
  throw InputError("loss.name '" + name + "' is not one of mse, l1, huber");
}

}  // namespace alloyml::losses
