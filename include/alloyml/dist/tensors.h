#pragma once
// Tensors across workers (dist/group.h): starting every worker from rank 0's weights, summing
// gradients and statistics. Torch units only.
#include <cstddef>
#include <vector>

#include <torch/csrc/distributed/c10d/Work.hpp>
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
/// to `bucket_bytes`, the last layers first) are all-reduced, and the result is divided by the
/// job's sample count. A parameter without a gradient on a worker counts as zero.
///
/// With `overlap`, a bucket's all-reduce starts during the backward pass, as soon as the last of
/// its gradients is computed (autograd hooks, as PyTorch's DistributedDataParallel); buckets
/// start in the same order on every worker. Without, all start after backward().
class GradientReducer {
 public:
  GradientReducer(Group& group, std::vector<torch::Tensor> parameters, bool overlap, size_t bucket_bytes = 25u << 20);
  /// Before backward(): this worker's batch size (0 for a worker without images this step).
  void begin(double samples);
  /// After backward(): replaces every gradient by the job's average and returns the job's
  /// sample count.
  double reduce();

 private:
  struct Bucket {
    std::vector<size_t> params;    ///< indices, in bucket order
    std::vector<size_t> live;      ///< those trained this step (not frozen)
    torch::Tensor flat;            ///< their gradients, times this worker's samples
    size_t pending = 0;            ///< live gradients not yet copied in
    c10::intrusive_ptr<c10d::Work> work;
  };
  void take_gradient(size_t param, const torch::Tensor& grad);
  void launch_ready();  ///< starts every bucket in order up to the first one not complete
  void launch(Bucket& b);

  Group& group_;
  std::vector<torch::Tensor> params_;
  std::vector<size_t> bucket_of_;  ///< parameter -> its bucket
  std::vector<int64_t> offset_;    ///< parameter -> its place in the bucket's `flat` this step; -1: frozen
  std::vector<Bucket> buckets_;
  bool overlap_;
  bool active_ = false;  ///< between begin() and reduce()
  size_t next_ = 0;      ///< the next bucket to start
  double samples_ = 0;
  torch::Tensor count_;
  c10::intrusive_ptr<c10d::Work> count_work_;
};

}  // namespace alloyml::dist
