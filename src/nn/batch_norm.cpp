#include "alloyml/nn/batch_norm.h"

#include <atomic>

#include "alloyml/dist/tensors.h"

// Debian's libtorch_cpu keeps BatchNormImplBase<2>::pretty_print out of its exported symbols, yet a
// class derived from BatchNorm2dImpl needs it in its construction vtables: defined here as torch's.
template <>
void torch::nn::BatchNormImplBase<2, torch::nn::BatchNorm2dImpl>::pretty_print(std::ostream& stream) const {
  stream << "torch::nn::BatchNorm2d(" << options.num_features() << ", eps=" << options.eps()
         << ", momentum=" << options.momentum().value_or(-1) << ", affine=" << options.affine()
         << ", track_running_stats=" << options.track_running_stats() << ")";
}

namespace alloyml::nn {
namespace {

std::atomic<bool> g_sync{false};

const std::vector<int64_t> kChannel{1, -1, 1, 1};
const std::vector<int64_t> kReduce{0, 2, 3};

// y = (x - mean) * invstd * weight + bias with the job's mean and invstd. Backward (Ioffe and
// Szegedy 2015, Eq. in Sec. 3, with the sums over the whole job as in PyTorch's SyncBatchNorm):
//   dx = weight * invstd * (dy - sum(dy) / n - xhat * sum(dy * xhat) / n),
// where sum runs over every worker's images and n is the job's count per channel; the weight and
// bias gradients stay this worker's (the gradient reducer sums them).
struct SyncBatchNormFunction : public torch::autograd::Function<SyncBatchNormFunction> {
  static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& x, const torch::Tensor& weight,
                               const torch::Tensor& bias, const torch::Tensor& mean, const torch::Tensor& invstd,
                               double count) {
    ctx->save_for_backward({x, weight, mean, invstd});
    ctx->saved_data["count"] = count;
    const auto xf = x.to(torch::kFloat32);
    return ((xf - mean.view(kChannel)) * (invstd * weight).view(kChannel) + bias.view(kChannel)).to(x.scalar_type());
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grads) {
    const auto saved = ctx->get_saved_variables();
    const auto x = saved[0].to(torch::kFloat32), weight = saved[1], mean = saved[2], invstd = saved[3];
    const double n = ctx->saved_data["count"].toDouble();
    const auto dy = grads[0].to(torch::kFloat32);
    const auto xhat = (x - mean.view(kChannel)) * invstd.view(kChannel);
    const auto sum_dy = dy.sum(kReduce), sum_dy_xhat = (dy * xhat).sum(kReduce);
    auto job = torch::cat({sum_dy, sum_dy_xhat});
    dist::sum(*dist::data_parallel(), job);
    const int64_t c = sum_dy.size(0);
    const auto job_dy = job.narrow(0, 0, c), job_dy_xhat = job.narrow(0, c, c);
    auto dx = (weight * invstd).view(kChannel) *
              (dy - (job_dy / n).view(kChannel) - xhat * (job_dy_xhat / n).view(kChannel));
    return {dx.to(saved[0].scalar_type()), sum_dy_xhat, sum_dy, {}, {}, {}};
  }
};

}  // namespace

void set_sync_batch_norm(bool on) { g_sync = on; }
bool sync_batch_norm() { return g_sync; }

torch::Tensor BatchNormImpl::forward(const torch::Tensor& input) {
  auto* group = dist::data_parallel();
  if (!g_sync || !group || !is_training() || !options.affine() || !options.track_running_stats())
    return torch::nn::BatchNorm2dImpl::forward(input);
  _check_input_dim(input);
  torch::Tensor mean, invstd, var;
  double n = 0;
  {
    torch::NoGradGuard no_grad;
    const auto x = input.to(torch::kFloat32);
    const int64_t c = x.size(1);
    // Per channel: this worker's sum and sum of squares (from its own mean and variance, in
    // double precision), and its count; summed over the job.
    const auto [local_var, local_mean] = torch::var_mean(x, kReduce, false);
    const double count = static_cast<double>(x.numel() / c);
    const auto m1 = local_mean.to(torch::kFloat64), m2 = local_var.to(torch::kFloat64) + m1 * m1;
    auto stats = torch::cat({m1 * count, m2 * count, torch::full({1}, count, torch::kFloat64)});
    dist::sum(*group, stats);
    n = stats[2 * c].item<double>();
    const auto mean64 = stats.narrow(0, 0, c) / n;
    const auto var64 = (stats.narrow(0, c, c) / n - mean64 * mean64).clamp_min(0);
    mean = mean64.to(torch::kFloat32);
    var = var64.to(torch::kFloat32);
    invstd = (var64 + options.eps()).rsqrt().to(torch::kFloat32);
    // Running statistics as torch's: momentum-weighted, unbiased variance.
    const double m = options.momentum().value_or(0.1);
    running_mean.mul_(1 - m).add_(mean, m);
    running_var.mul_(1 - m).add_(var * (n / std::max(1.0, n - 1)), m);
    num_batches_tracked += 1;
  }
  return SyncBatchNormFunction::apply(input, weight, bias, mean, invstd, n);
}

}  // namespace alloyml::nn
