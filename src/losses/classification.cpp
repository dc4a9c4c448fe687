#include "alloyml/losses/classification.h"

namespace alloyml::losses {

torch::Tensor cross_entropy(const torch::Tensor& logits, const torch::Tensor& target, double label_smoothing,
                            const torch::Tensor& class_weights) {
  auto opts = torch::nn::functional::CrossEntropyFuncOptions().label_smoothing(label_smoothing);
  if (class_weights.defined()) opts.weight(class_weights);
  return torch::nn::functional::cross_entropy(logits, target, opts);
}

}  // namespace alloyml::losses
