#include "alloyml/train/precision.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "alloyml/core/error.h"

namespace alloyml::train {

namespace {
bool has_flag(const std::string& flags, const std::string& flag) {
  std::istringstream words(flags);
  for (std::string w; words >> w;)
    if (w == flag) return true;
  return false;
}

// What bf16 costs on a CPU without native bf16 instructions, and which flags it lacks.
std::string emulated_bf16_warning(const std::string& flags) {
  std::string lacking = "avx512_bf16 and amx_bf16";
  std::string effect = "oneDNN converts to and from bf16 in software: slower than fp32";
  if (!cpu_runs_onednn_bf16(flags)) {
    std::string missing;
    for (const char* f : {"avx512bw", "avx512vl", "avx512dq"})
      if (!has_flag(flags, f)) missing += std::string(missing.empty() ? "" : ", ") + f;
    lacking = "avx512_bf16, amx_bf16, " + missing;
    // Measured with Debian's LibTorch 1.13 (README.md, precision): without oneDNN's bf16 path, some
    // of its generic bf16 matrix products sum in bf16, e.g. 8 % off over 1024 terms.
    effect = "LibTorch falls back to generic kernels: slower than fp32, and some of its matrix products sum in bf16, "
             "so results are less accurate than native bf16";
  }
  return "bf16 is emulated on this CPU (it lacks " + lacking + "): " + effect +
         "; --precision fp32 (or auto) is the better choice here";
}
}  // namespace

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
  const bool amx = has_flag(flags, "amx_bf16"), avx512 = has_flag(flags, "avx512_bf16");
  if (which) *which = amx && avx512 ? "amx_bf16 and avx512_bf16" : amx ? "amx_bf16" : avx512 ? "avx512_bf16" : "";
  return amx || avx512;
}


PrecisionChoice choose_precision(const std::string& requested, const std::string& device, const std::string& flags,
                                 bool gpu_bf16) {
  if (requested == "bf16" && device == "cpu" && !cpu_has_bf16(flags))
    return {requested, "requested", emulated_bf16_warning(flags)};
  if (requested == "fp32" || requested == "bf16") return {requested, "requested", ""};
  if (requested != "auto") throw InputError("precision must be auto, fp32 or bf16, got '" + requested + "'");
  if (device == "cuda")
    return gpu_bf16 ? PrecisionChoice{"bf16", "auto: the GPU supports bf16", ""}
                    : PrecisionChoice{"fp32", "auto: the GPU does not support bf16", ""};
  std::string which;
  if (cpu_has_bf16(flags, &which)) return {"bf16", "auto: the CPU reports " + which, ""};
  return {"fp32", "auto: the CPU reports neither amx_bf16 nor avx512_bf16", ""};
}

bool cpu_runs_onednn_bf16(const std::string& flags) {
  return has_flag(flags, "avx512bw") && has_flag(flags, "avx512vl") && has_flag(flags, "avx512dq");
}

models::InferenceOptions inference_options(const std::string& precision, bool channels_last, const std::string& flags) {
  models::InferenceOptions o;
  o.channels_last = channels_last;
  o.bf16 = precision == "bf16";
  o.onednn = !o.bf16 || cpu_runs_onednn_bf16(flags);  // the model itself keeps GPUs dense
  return o;
}

}  // namespace alloyml::train
