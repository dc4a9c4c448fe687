// Compiled with -fno-math-errno (src/CMakeLists.txt) so the square root vectorises.
#include "alloyml/train/fused_kernels.h"

#include <cmath>
#include <cstring>

namespace alloyml::train {

namespace {

inline float widen(float g) { return g; }
inline float widen(uint16_t g) { return bf16_to_float(g); }

template <typename Grad, bool kCopy>
void update(float* __restrict p, const Grad* __restrict g, float* __restrict m, float* __restrict v,
            uint16_t* __restrict copy, int64_t n, const AdamStep& s) {
  const float b1 = s.beta1, b2 = s.beta2, c1 = 1 - s.beta1, c2 = 1 - s.beta2;
  const float l2 = s.l2, decay = s.decay, step = s.step_size, ib2 = s.inv_sqrt_bias_correction2, eps = s.eps;
  for (int64_t i = 0; i < n; ++i) {
    const float grad = widen(g[i]) + l2 * p[i];
    const float mi = b1 * m[i] + c1 * grad;
    const float vi = b2 * v[i] + c2 * grad * grad;
    m[i] = mi;
    v[i] = vi;
    const float pi = p[i] * decay - step * mi / (std::sqrt(vi) * ib2 + eps);
    p[i] = pi;
    if constexpr (kCopy) copy[i] = float_to_bf16(pi);
  }
}

}  // namespace

uint16_t float_to_bf16(float f) {
  uint32_t u;
  std::memcpy(&u, &f, sizeof u);
  const uint32_t rounded = (u + 0x7FFFu + ((u >> 16) & 1u)) >> 16;
  return static_cast<uint16_t>(f != f ? 0x7FC0u : rounded);
}

float bf16_to_float(uint16_t h) {
  const uint32_t u = static_cast<uint32_t>(h) << 16;
  float f;
  std::memcpy(&f, &u, sizeof f);
  return f;
}

void adam_update(float* p, const float* g, float* m, float* v, int64_t n, const AdamStep& s, uint16_t* copy) {
  if (copy) update<float, true>(p, g, m, v, copy, n, s);
  else update<float, false>(p, g, m, v, copy, n, s);
}

void adam_update(float* p, const uint16_t* g, float* m, float* v, int64_t n, const AdamStep& s, uint16_t* copy) {
  if (copy) update<uint16_t, true>(p, g, m, v, copy, n, s);
  else update<uint16_t, false>(p, g, m, v, copy, n, s);
}

}  // namespace alloyml::train
