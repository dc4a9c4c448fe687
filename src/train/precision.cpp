#include "alloyml/train/precision.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "alloyml/core/error.h"

namespace alloyml::train {

std::string cpu_flags() {
  if (const char* env = std::getenv("ALLOYML_CPU_FLAGS")) return env;
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("flags", 0) == 0) {
      const auto colon = line.find(':');
      return colon == std::string::npos ? "" : line.substr(colon + 1);
    }
  return "";
}

bool cpu_has_bf16(const std::string& flags, std::string* which) {
  std::istringstream words(flags);
  bool avx512 = false, amx = false;
  for (std::string w; words >> w;) {
    amx |= w == "amx_bf16";
    avx512 |= w == "avx512_bf16";
  }
  if (which) *which = amx && avx512 ? "amx_bf16 and avx512_bf16" : amx ? "amx_bf16" : avx512 ? "avx512_bf16" : "";
  return amx || avx512;
}

PrecisionChoice choose_precision(const std::string& requested, const std::string& device, const std::string& flags,
                                 bool gpu_bf16) {
  if (requested == "fp32" || requested == "bf16") return {requested, "requested"};
  if (requested != "auto") throw InputError("precision must be auto, fp32 or bf16, got '" + requested + "'");
  if (device == "cuda")
    return gpu_bf16 ? PrecisionChoice{"bf16", "auto: the GPU supports bf16"}
                    : PrecisionChoice{"fp32", "auto: the GPU does not support bf16"};
  std::string which;
  if (cpu_has_bf16(flags, &which)) return {"bf16", "auto: the CPU reports " + which};
  return {"fp32", "auto: the CPU reports neither amx_bf16 nor avx512_bf16"};
}

bool cpu_runs_onednn_bf16(const std::string& flags) {
  std::istringstream words(flags);
  int found = 0;
  for (std::string w; words >> w;) found |= (w == "avx512bw") | (w == "avx512vl") << 1 | (w == "avx512dq") << 2;
  return found == 7;
}

models::InferenceOptions inference_options(const std::string& precision, bool channels_last, const std::string& flags) {
  models::InferenceOptions o;
  o.channels_last = channels_last;
  o.bf16 = precision == "bf16";
  o.onednn = !o.bf16 || cpu_runs_onednn_bf16(flags);  // the model itself keeps GPUs dense
  return o;
}

}  // namespace alloyml::train
