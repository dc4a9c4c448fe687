#pragma once
// The losses of CycleGAN (Zhu et al., ICCV 2017, Eqs. 1-3 with the least-squares GAN objective of
// Mao et al. 2017, as the public code's GANLoss('lsgan')). Torch units only.
#include <torch/torch.h>

namespace alloyml::losses {

/// Least-squares GAN loss: mean (D(x) - 1)^2 against "real", mean D(x)^2 against "fake", over
/// every patch of the discriminator's output.
torch::Tensor lsgan_loss(const torch::Tensor& prediction, bool target_is_real);

// The cycle-consistency (Eq. 2) and identity losses are the mean of
// pointwise_regression_loss("l1", ...) (losses/regression.h).

}  // namespace alloyml::losses
