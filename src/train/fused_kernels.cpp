// Compiled with -fno-math-errno (src/CMakeLists.txt) so the square root vectorises.
#include "alloyml/train/fused_kernels.h"

#include <cmath>

namespace alloyml::train {

void adam_update(float* __restrict p, const float* __restrict g, float* __restrict m, float* __restrict v, int64_t n,
                 const AdamStep& s) {
  const float b1 = s.beta1, b2 = s.beta2, c1 = 1 - s.beta1, c2 = 1 - s.beta2;
  const float l2 = s.l2, decay = s.decay, step = s.step_size, ib2 = s.inv_sqrt_bias_correction2, eps = s.eps;
  for (int64_t i = 0; i < n; ++i) {
    const float grad = g[i] + l2 * p[i];
    const float mi = b1 * m[i] + c1 * grad;
    const float vi = b2 * v[i] + c2 * grad * grad;
    m[i] = mi;
    v[i] = vi;
    p[i] = p[i] * decay - step * mi / (std::sqrt(vi) * ib2 + eps);
  }
}

}  // namespace alloyml::train
