#include "alloyml/losses/classification.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "alloyml/eval/metrics.h"

namespace alloyml::losses {

torch::Tensor cross_entropy(const torch::Tensor& logits, const torch::Tensor& target, double label_smoothing,
                            const torch::Tensor& class_weights) {
  auto opts = torch::nn::functional::CrossEntropyFuncOptions().label_smoothing(label_smoothing);
  if (class_weights.defined()) opts.weight(class_weights);
  return torch::nn::functional::cross_entropy(logits, target, opts);
}

std::vector<double> adaptive_gmean_weights(const std::vector<std::vector<std::int64_t>>& confusion,
                                           const std::vector<std::int64_t>& counts) {
  const size_t k = counts.size();
  const double n_max = static_cast<double>(*std::max_element(counts.begin(), counts.end()));
  // Eqs. 12-14 from the confusion: recall (the class's accuracy), true-negative rate, G-mean.
  const auto m = confusion.empty() ? eval::ClassificationMetrics{}
                                   : eval::metrics_from_confusion(confusion, std::vector<std::string>(k));
  std::vector<double> w(k, 1.0);
  for (size_t c = 0; c < k; ++c) {
    if (counts[c] <= 0) continue;  // a class without training images: nothing to weigh
    // Before the first epoch's predictions every class counts as missed.
    const double a = confusion.empty() ? 0.0 : m.per_class[c].recall;
    const double g = confusion.empty() ? 0.0 : m.per_class[c].gmean;
    const double imbalance = n_max / static_cast<double>(counts[c]);
    w[c] = 1.0 + std::tanh(imbalance * (1.0 - 0.5 * (a + g)));  // Eq. 15
  }
  return w;
}

torch::Tensor adaptive_gmean_loss(const torch::Tensor& logits, const torch::Tensor& target, const torch::Tensor& weights,
                                  double beta) {
  const auto log_p = torch::log_softmax(logits, 1);
  const auto ce = -log_p.gather(1, target.unsqueeze(1)).squeeze(1);
  const auto one_hot = torch::one_hot(target, logits.size(1)).to(logits.scalar_type());
  const auto distance = (log_p.exp() - one_hot).pow(2).sum(1);  // Eq. 16's squared distance
  // Eq. 17 as a weighted mean (normalised by the weights of the batch's targets, as PyTorch's
  // weighted cross-entropy and loss.class_weights reduce): the weights share the loss out among
  // the classes without scaling it, so they do not raise the effective learning rate.
  const auto w = weights.index_select(0, target);
  return (w * (ce + beta * distance)).sum() / w.sum();
}

}  // namespace alloyml::losses
