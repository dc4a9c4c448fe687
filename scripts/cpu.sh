# Sourced by scripts/test.sh and the benches: names the CPU (every figure is printed beside it) and says which
# precisions this CPU can measure honestly. bf16 is measured only where the CPU has it natively
# (avx512_bf16 or amx_bf16); elsewhere LibTorch emulates it, slower than fp32, and the bf16
# variants are skipped with a note instead of aborting or timing an emulation.
# ALLOYML_CPU_FLAGS replaces the CPU's flags, as it does for alloyml itself (to test the skip).
cpu_flags=${ALLOYML_CPU_FLAGS:-$(grep -m1 '^flags' /proc/cpuinfo | cut -d: -f2 || true)}
cpu_model=$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//' || true)
cpu_relevant=$(tr ' ' '\n' <<< "$cpu_flags" | grep -x -e avx2 -e avx512f -e avx512_bf16 -e avx512_vnni -e amx_bf16 | sort -u | paste -sd' ' || true)
cpu_line="CPU: ${cpu_model:-unknown}, $(nproc) cores; flags: ${cpu_relevant:-none of avx2, avx512f, avx512_bf16, avx512_vnni, amx_bf16}"
if tr ' ' '\n' <<< "$cpu_flags" | grep -qx -e avx512_bf16 -e amx_bf16; then
  native_bf16=1; precisions=(fp32 bf16)
else
  native_bf16=0; precisions=(fp32)
fi
echo "$cpu_line" >&2
[ "$native_bf16" = 1 ] || echo "note: this CPU has no native bf16 (avx512_bf16 or amx_bf16): bf16 variants are skipped" >&2
