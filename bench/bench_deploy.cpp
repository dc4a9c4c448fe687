// Deployment speed of the Huang et al. networks as alloyml-predict runs them (batch norms folded,
// oneDNN-packed where the model allows, fp32 or bf16): per-image latency at batch 1 (median of
// single calls) and throughput at batch 32, printed as JSON lines. bench/deploy.sh runs it beside
// bench/reference_deploy.py (the student in Debian's python3-torch eager) and writes the table.
//   alloyml-bench-deploy SECONDS SIZE CHANNELS ARCH [ARCH...]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "alloyml/models/registry.h"
#include "alloyml/train/autocast.h"
#include "alloyml/train/options.h"
#include "alloyml/train/precision.h"

namespace {

double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: alloyml-bench-deploy SECONDS SIZE CHANNELS ARCH [ARCH...]\n");
    return 2;
  }
  const double seconds = std::stod(argv[1]);
  const int size = std::stoi(argv[2]), channels = std::stoi(argv[3]);
  const auto runtime = alloyml::train::apply_runtime(alloyml::train::RuntimeOptions{});
  const std::string flags = alloyml::train::cpu_flags();
  // bf16 is timed only where the CPU has it natively; an emulation's time is no figure to report.
  const bool native_bf16 = alloyml::train::cpu_has_bf16(flags);
  if (!native_bf16) std::fprintf(stderr, "note: no native bf16 on this CPU (avx512_bf16 or amx_bf16): bf16 skipped\n");
  for (int a = 4; a < argc; ++a) {
    const std::string arch = argv[a];
    for (const std::string precision : {"fp32", "bf16"}) {
      if (precision == "bf16" && !native_bf16) continue;
      alloyml::models::ModelOptions o;
      o.name = arch;
      o.num_classes = 6;
      o.in_channels = channels;
      torch::manual_seed(0);
      auto model = alloyml::models::create_model(o);
      int64_t params = 0;
      for (const auto& p : model->parameters()) params += p.numel();
      model->prepare_for_inference(alloyml::train::inference_options(precision, false, flags));
      const bool autocast = precision == "bf16";
      auto run = [&](const torch::Tensor& x) {
        c10::InferenceMode guard;
        alloyml::train::AutocastGuard cast(autocast, torch::kCPU);
        model->forward(x);
      };
      const auto one = torch::randn({1, channels, size, size});
      const auto many = torch::randn({32, channels, size, size});
      for (int i = 0; i < 5; ++i) run(one), run(many);
      std::vector<double> times;
      for (const double start = now(); now() - start < seconds || times.size() < 20;) {
        const double t0 = now();
        run(one);
        times.push_back(now() - t0);
      }
      std::nth_element(times.begin(), times.begin() + static_cast<long>(times.size() / 2), times.end());
      const double latency_ms = 1e3 * times[times.size() / 2];
      long batches = 0;
      const double start = now();
      while (now() - start < seconds || batches < 3) run(many), ++batches;
      const double throughput = 32.0 * static_cast<double>(batches) / (now() - start);
      std::printf(
          "{\"peer\": \"alloyml\", \"arch\": \"%s\", \"precision\": \"%s\", \"size\": %d, \"channels\": %d, "
          "\"parameters\": %lld, \"latency_ms\": %.4f, \"images_per_s_b32\": %.2f, \"threads\": %d}\n",
          arch.c_str(), precision.c_str(), size, channels, static_cast<long long>(params), latency_ms, throughput,
          runtime.threads);
      std::fflush(stdout);
    }
  }
  return 0;
}
