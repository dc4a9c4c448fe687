#include <thread>

#include <torch/torch.h>

#include "alloyml/core/error.h"
#include "alloyml/train/options.h"
#include "alloyml/train/precision.h"

#include <ATen/detail/CUDAHooksInterface.h>

namespace alloyml::train {

ResolvedRuntime apply_runtime(const RuntimeOptions& options) {
  ResolvedRuntime r;
  r.threads = options.threads > 0 ? options.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  torch::set_num_threads(r.threads);  // LibTorch would use one thread here otherwise

  const bool cuda = torch::cuda::is_available();
  if (options.device == "cuda" && !cuda) throw InputError("--device cuda: no CUDA device is available");
  r.device = options.device == "auto" ? (cuda ? "cuda" : "cpu") : options.device;

  const bool gpu_bf16 = r.device == "cuda" && at::detail::getCUDAHooks().supportsBFloat16ConvolutionWithCuDNNv8();
  const auto choice = choose_precision(options.precision, r.device, r.device == "cpu" ? cpu_flags() : "", gpu_bf16);
  r.precision = choice.precision;
  r.reason = choice.reason;
  return r;
}

}  // namespace alloyml::train
