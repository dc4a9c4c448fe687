#include <climits>
#include <thread>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <spdlog/spdlog.h>
#include <torch/torch.h>

#include "alloyml/core/error.h"
#include "alloyml/core/thread_pool.h"
#include "alloyml/train/options.h"
#include "alloyml/train/precision.h"

#include <ATen/detail/CUDAHooksInterface.h>

namespace alloyml::train {

namespace {
// LibTorch's CPU tensors come from malloc. glibc hands each tensor above its mmap threshold a
// fresh mapping and unmaps it on free, and gives the heap's top back to the system past the
// trim threshold, so every training step faults in (and the kernel zeroes) its activations and
// gradients anew: about a quarter of a resnet34 step at 64 px here (bench/README.md). Keeping
// freed memory in the heap removes that; the cost is that the process keeps its peak footprint.
// The same as PyTorch's tuning guide gets from jemalloc or tcmalloc, with glibc's own allocator.
void keep_freed_memory() {
#if defined(__GLIBC__)
  static const bool done = [] {
    mallopt(M_MMAP_THRESHOLD, 32 << 20);  // glibc's largest: tensors up to 32 MiB from the heap
    mallopt(M_TRIM_THRESHOLD, INT_MAX);   // never shrink the heap between steps
    return true;
  }();
  (void)done;
#endif
}
}  // namespace

ResolvedRuntime apply_runtime(const RuntimeOptions& options) {
  keep_freed_memory();
  ResolvedRuntime r;
  r.threads = options.threads > 0 ? options.threads : static_cast<int>(default_threads());
  torch::set_num_threads(r.threads);  // LibTorch would use one thread here otherwise

  const bool cuda = torch::cuda::is_available();
  if (options.device == "cuda" && !cuda) throw InputError("--device cuda: no CUDA device is available");
  r.device = options.device == "auto" ? (cuda ? "cuda" : "cpu") : options.device;

  const bool gpu_bf16 = r.device == "cuda" && at::detail::getCUDAHooks().supportsBFloat16ConvolutionWithCuDNNv8();
  const auto choice = choose_precision(options.precision, r.device, r.device == "cpu" ? cpu_flags() : "", gpu_bf16);
  r.precision = choice.precision;
  r.reason = choice.reason;
  r.warning = choice.warning;
  static bool warned = false;  // ensembles and workers resolve the runtime more than once
  if (!r.warning.empty() && !warned) {
    spdlog::warn("{}", r.warning);
    warned = true;
  }
  return r;
}

}  // namespace alloyml::train
