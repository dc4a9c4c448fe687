#pragma once
// Knowledge-distillation losses: relational KD (Park, Kim, Lu and Cho, "Relational Knowledge
// Distillation", CVPR 2019, as their public code computes it) and Hinton's soft targets (Hinton,
// Vinyals and Dean, "Distilling the Knowledge in a Neural Network", 2015). Torch units only.
#include <torch/torch.h>

namespace alloyml::losses {

/// Pairwise Euclidean distances of the rows of `e` (N x D), N x N, zero diagonal (RKD's pdist).
torch::Tensor pairwise_distances(const torch::Tensor& e);

/// RKD distance loss (Park et al. 2019, Eqs. 3-5): the pairwise distances of the student's and of
/// the teacher's embeddings, each divided by its mean over the distinct pairs, compared by the
/// Huber (smooth L1, threshold 1) loss averaged over all N x N entries. The teacher side carries
/// no gradient. Zero when the student's embeddings are the teacher's up to scale.
torch::Tensor rkd_distance_loss(const torch::Tensor& student, const torch::Tensor& teacher);

/// RKD angle loss (Park et al. 2019, Eqs. 6-7): for every triplet (i, j, k) the cosine of the
/// angle at j between e_i - e_j and e_k - e_j, student against teacher, Huber loss averaged over
/// all N^3 entries (degenerate triplets give 0 on both sides). No gradient to the teacher.
torch::Tensor rkd_angle_loss(const torch::Tensor& student, const torch::Tensor& teacher);

/// Hinton's soft-target loss: T^2 KL(softmax(teacher / T) || softmax(student / T)), batch mean.
torch::Tensor soft_target_loss(const torch::Tensor& student_logits, const torch::Tensor& teacher_logits,
                               double temperature);

}  // namespace alloyml::losses
