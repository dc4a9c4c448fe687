#include "alloyml/losses/classification.h"

#include <algorithm>
#include <cmath>

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
  TORCH_CHECK(confusion.empty() || confusion.size() == k, "adaptive_gmean_weights: confusion is not ", k, " x ", k);
  const double n_max = static_cast<double>(*std::max_element(counts.begin(), counts.end()));
  double total = 0;
  for (const auto& row : confusion)
    for (auto v : row) total += static_cast<double>(v);
  std::vector<double> w(k, 1.0);
  for (size_t c = 0; c < k; ++c) {
    if (counts[c] <= 0) continue;  // a class without training images: nothing to weigh
    double a = 0, g = 0;  // all wrong until the first epoch's predictions exist
    if (total > 0) {
      double tp = 0, fn = 0, fp = 0;
      for (size_t j = 0; j < k; ++j) {
        if (j == c) continue;
        fn += static_cast<double>(confusion[c][j]);
        fp += static_cast<double>(confusion[j][c]);
      }
      tp = static_cast<double>(confusion[c][c]);
      const double tn = total - tp - fn - fp;
      a = tp + fn > 0 ? tp / (tp + fn) : 1.0;                // Eq. 12
      const double s = tn + fp > 0 ? tn / (tn + fp) : 1.0;   // Eq. 13 (true-negative rate)
      g = std::sqrt(a * s);                                  // Eq. 14
    }
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
  return (weights.index_select(0, target) * (ce + beta * distance)).mean();  // Eq. 17
}

}  // namespace alloyml::losses
