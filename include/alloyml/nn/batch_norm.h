#pragma once
// The batch norm of every CNN here: torch::nn::BatchNorm2d (same parameters, buffers, state-dict
// names and eval behaviour) whose training statistics can be the whole data-parallel job's
// (train.sync_bn): the per-channel sums and the backward pass's sums are all-reduced, as
// PyTorch's SyncBatchNorm does, so 2 workers with batches of B/2 normalise as one with B.
// Torch units only.
#include <torch/torch.h>

namespace alloyml::nn {

class BatchNormImpl : public torch::nn::BatchNorm2dImpl {
 public:
  explicit BatchNormImpl(int64_t features) : torch::nn::BatchNorm2dImpl(torch::nn::BatchNorm2dOptions(features)) {}
  explicit BatchNormImpl(const torch::nn::BatchNorm2dOptions& options) : torch::nn::BatchNorm2dImpl(options) {}
  torch::Tensor forward(const torch::Tensor& input);
};
TORCH_MODULE(BatchNorm);

/// Synchronises the training statistics of every BatchNorm of this process across the job
/// (dist::current()); without a job, or in eval mode, a BatchNorm is torch's.
void set_sync_batch_norm(bool on);
bool sync_batch_norm();

}  // namespace alloyml::nn
