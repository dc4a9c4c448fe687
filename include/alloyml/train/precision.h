#pragma once
// Which arithmetic precision runs: fp32, or bf16 mixed precision (autocast) where the hardware
// has native bf16 (Intel AMX / AVX-512-BF16 CPUs, Ampere and later GPUs). Torch-free, so the
// decision can be tested with mocked CPU flags.
#include <string>

#include "alloyml/models/options.h"

namespace alloyml::train {

struct PrecisionChoice {
  std::string precision;  ///< "fp32" or "bf16"
  std::string reason;     ///< for the log, summary.json and the report
  std::string warning;    ///< non-empty when bf16 was asked for on a CPU that only emulates it
};

/// The CPU's feature flags (the "flags" line of /proc/cpuinfo, space separated); the environment
/// variable ALLOYML_CPU_FLAGS replaces them (to test, or to force a choice).
std::string cpu_flags();

/// True when `flags` name a native bf16 instruction set (amx_bf16 or avx512_bf16).
bool cpu_has_bf16(const std::string& flags, std::string* which = nullptr);

/// Resolves `requested` ("auto", "fp32" or "bf16") for `device` ("cpu" or "cuda"): auto picks bf16
/// where the CPU flags (or, on CUDA, `gpu_bf16`) say the hardware has it, else fp32. An explicit
/// bf16 is honoured everywhere; on a CPU without native bf16 the choice carries a warning naming
/// the flags the CPU lacks (emulated: slower than fp32, and less accurate without oneDNN's path).
PrecisionChoice choose_precision(const std::string& requested, const std::string& device, const std::string& flags,
                                 bool gpu_bf16);

/// True when `flags` have what oneDNN's bf16 convolutions need (avx512bw, avx512vl, avx512dq).
bool cpu_runs_onednn_bf16(const std::string& flags);

/// The inference rewrites for a resolved precision ("fp32" or "bf16"): oneDNN-packed
/// weights in that precision; for bf16 on a CPU without AVX-512, the dense path (run under autocast).
models::InferenceOptions inference_options(const std::string& precision, bool channels_last, const std::string& flags);

}  // namespace alloyml::train
