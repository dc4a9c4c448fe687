// The fused Adam/AdamW steps follow LibTorch's own, keep its state and checkpoint format, and
// fall back to it where they cannot fuse.
#include <sstream>

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "alloyml/train/optimizer.h"

using namespace alloyml;

namespace {

// Parameters of mixed shapes and layouts: a channels-last convolution weight, a bias, a matrix,
// and one that gets no gradient.
std::vector<torch::Tensor> make_params() {
  torch::manual_seed(3);
  return {torch::randn({8, 4, 3, 3}).contiguous(torch::MemoryFormat::ChannelsLast).requires_grad_(),
          torch::randn({8}).requires_grad_(), torch::randn({70000}).requires_grad_(),
          torch::randn({5, 3}).requires_grad_()};
}

void set_gradients(std::vector<torch::Tensor>& params, int step) {
  torch::manual_seed(100 + step);
  for (size_t i = 0; i + 1 < params.size(); ++i)
    params[i].mutable_grad() = torch::randn_like(params[i], torch::MemoryFormat::Preserve);
}

template <typename Fused, typename Reference, typename Options>
void expect_same_steps(const Options& options) {
  auto a = make_params(), b = make_params();
  Fused fused(a, options);
  Reference reference(b, options);
  for (int step = 0; step < 5; ++step) {
    set_gradients(a, step);
    set_gradients(b, step);
    fused.step();
    reference.step();
  }
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].strides(), b[i].strides()) << i;
    EXPECT_TRUE(torch::allclose(a[i], b[i], 1e-5, 1e-6)) << "parameter " << i << ": " << (a[i] - b[i]).abs().max();
  }
  EXPECT_TRUE(torch::equal(a.back(), make_params().back())) << "a parameter without gradient moved";
  // Same state layout: LibTorch's serialisation reads it back into a LibTorch optimiser.
  std::stringstream buffer;
  torch::save(fused, buffer);
  auto c = make_params();
  Reference loaded(c, options);
  torch::load(loaded, buffer);
  EXPECT_EQ(loaded.state().size(), 3u);
}

}  // namespace

TEST(FusedAdam, MatchesLibTorchAdamWithL2) {
  expect_same_steps<train::FusedAdam, torch::optim::Adam>(torch::optim::AdamOptions(1e-2).weight_decay(1e-2));
}

TEST(FusedAdam, MatchesLibTorchAdamW) {
  expect_same_steps<train::FusedAdamW, torch::optim::AdamW>(
      torch::optim::AdamWOptions(1e-2).betas({0.8, 0.99}).weight_decay(0.05));
}

TEST(FusedAdam, AmsgradAndDoubleParametersTakeLibTorchsStep) {
  expect_same_steps<train::FusedAdam, torch::optim::Adam>(torch::optim::AdamOptions(1e-2).amsgrad(true));
  auto p = torch::ones({4}, torch::kFloat64).requires_grad_();
  train::FusedAdam opt({p}, torch::optim::AdamOptions(0.1));
  p.mutable_grad() = torch::ones_like(p);
  opt.step();
  EXPECT_NEAR(p[0].item<double>(), 0.9, 1e-6);
}

TEST(FusedAdam, ResumedStateContinuesAsUninterrupted) {
  const auto options = torch::optim::AdamOptions(1e-2);
  auto a = make_params(), b = make_params();
  train::FusedAdam straight(a, options), first(b, options);
  for (int step = 0; step < 3; ++step) {
    set_gradients(a, step);
    straight.step();
    set_gradients(b, step);
    first.step();
  }
  std::stringstream buffer;
  torch::save(first, buffer);
  train::FusedAdam resumed(b, options);
  torch::load(resumed, buffer);
  for (int step = 3; step < 6; ++step) {
    set_gradients(a, step);
    straight.step();
    set_gradients(b, step);
    resumed.step();
  }
  for (size_t i = 0; i < a.size(); ++i) EXPECT_TRUE(torch::equal(a[i], b[i])) << i;
}
