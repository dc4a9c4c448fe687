#include <thread>

#include <torch/torch.h>

#include "alloyml/core/error.h"
#include "alloyml/train/options.h"

namespace alloyml::train {

ResolvedRuntime apply_runtime(const RuntimeOptions& options) {
  ResolvedRuntime r;
  r.threads = options.threads > 0 ? options.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  torch::set_num_threads(r.threads);  // LibTorch would use one thread here otherwise

  const bool cuda = torch::cuda::is_available();
  if (options.device == "cuda" && !cuda) throw InputError("--device cuda: no CUDA device is available");
  r.device = options.device == "auto" ? (cuda ? "cuda" : "cpu") : options.device;

  if (options.precision == "bf16") throw InputError("--precision bf16 is not supported by this build yet; use fp32");
  r.precision = "fp32";
  r.reason = options.precision == "auto" ? "auto: bf16 mixed precision is not implemented in this build" : "requested";
  return r;
}

}  // namespace alloyml::train
