#pragma once
// Tensors across workers (dist/group.h): starting every worker from rank 0's weights, summing
// gradients and statistics. Torch units only.
#include <cstddef>
#include <vector>

#include <torch/torch.h>

#include "alloyml/dist/group.h"

namespace alloyml::dist {

/// Rank 0's values of `tensors`, in place, on every worker.
void broadcast(Group& group, const std::vector<torch::Tensor>& tensors);
/// Rank 0's parameters and buffers (batch-norm statistics) of `module`.
void broadcast_module(Group& group, torch::nn::Module& module);
/// Sums `tensor` over all workers, in place.
void sum(Group& group, torch::Tensor& tensor);

/// Averages gradients the way one process with the whole batch would: each worker contributes
/// the sum of its samples' gradients (its mean times its count), the buckets (flat copies of up
/// to `bucket_bytes`) are all-reduced as soon as each is packed, and the result is divided by
/// the job's sample count. A parameter without a gradient on a worker counts as zero.
class GradientReducer {
 public:
  GradientReducer(Group& group, std::vector<torch::Tensor> parameters, size_t bucket_bytes = 25u << 20);
  /// After backward(): replaces every gradient by the job's average; `samples` is this worker's
  /// batch size (0 for a worker without images this step). Returns the job's sample count.
  double reduce(double samples);

 private:
  Group& group_;
  std::vector<torch::Tensor> params_;
  std::vector<std::vector<size_t>> buckets_;  ///< parameter indices per bucket
};

}  // namespace alloyml::dist
