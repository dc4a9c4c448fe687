#include "alloyml/losses/distillation.h"

namespace alloyml::losses {
namespace F = torch::nn::functional;

torch::Tensor pairwise_distances(const torch::Tensor& e) {
  const auto sq = e.pow(2).sum(1);
  auto d = (sq.unsqueeze(1) + sq.unsqueeze(0) - 2 * e.matmul(e.t())).clamp_min(1e-12).sqrt();
  // The diagonal is 0 by definition (the clamp above keeps sqrt's gradient finite there).
  return d * (1 - torch::eye(e.size(0), e.options()));
}

namespace {

torch::Tensor mean_normalised(const torch::Tensor& d) {
  const auto positive = d.gt(0);
  // Degenerate batches (all embeddings equal) have no positive distance: compare unnormalised.
  const auto mean = positive.any().item<bool>() ? d.masked_select(positive).mean() : torch::ones({}, d.options());
  return d / mean;
}

torch::Tensor triplet_cosines(const torch::Tensor& e) {
  const auto diff = e.unsqueeze(0) - e.unsqueeze(1);  // [j][i] = e_i - e_j
  const auto unit = F::normalize(diff, F::NormalizeFuncOptions().p(2).dim(2));
  return torch::bmm(unit, unit.transpose(1, 2)).view(-1);
}

}  // namespace

torch::Tensor rkd_distance_loss(const torch::Tensor& student, const torch::Tensor& teacher) {
  torch::Tensor t;
  {
    torch::NoGradGuard no_grad;
    t = mean_normalised(pairwise_distances(teacher));
  }
  return F::smooth_l1_loss(mean_normalised(pairwise_distances(student)), t);
}

torch::Tensor rkd_angle_loss(const torch::Tensor& student, const torch::Tensor& teacher) {
  torch::Tensor t;
  {
    torch::NoGradGuard no_grad;
    t = triplet_cosines(teacher);
  }
  return F::smooth_l1_loss(triplet_cosines(student), t);
}

torch::Tensor soft_target_loss(const torch::Tensor& student_logits, const torch::Tensor& teacher_logits,
                               double temperature) {
  const auto log_p = torch::log_softmax(student_logits / temperature, 1);
  const auto q = torch::softmax(teacher_logits.detach() / temperature, 1);
  return F::kl_div(log_p, q, F::KLDivFuncOptions().reduction(torch::kBatchMean)) * temperature * temperature;
}

}  // namespace alloyml::losses
