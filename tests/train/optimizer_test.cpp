// The fused Adam/AdamW steps follow LibTorch's own, keep its state and checkpoint format, and
// fall back to it where they cannot fuse.
#include <cmath>
#include <limits>
#include <sstream>

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "alloyml/models/bf16_master.h"
#include "alloyml/models/resnet_blocks.h"
#include "alloyml/train/autocast.h"
#include "alloyml/train/fused_kernels.h"
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

TEST(FusedAdam, Bf16RoundingMatchesC10) {
  for (float f : {0.0f, -0.0f, 1.0f, 1.00390625f, 1.01171875f, 1.0f + 1.0f / 256, 3.14159f, -2.5e-39f, 1e-45f,
                  3.3895314e38f, std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity(),
                  std::numeric_limits<float>::quiet_NaN()}) {
    const c10::BFloat16 reference(f);
    EXPECT_EQ(train::float_to_bf16(f), reference.x) << f;
    EXPECT_EQ(std::isnan(train::bf16_to_float(reference.x)), std::isnan(f)) << f;
    if (!std::isnan(f)) {
      EXPECT_EQ(train::bf16_to_float(reference.x), static_cast<float>(reference)) << f;
    }
  }
}

// bf16 training (models/bf16_master.h): after its first step the optimiser takes the
// convolution's weight gradient in bf16 and keeps the bf16 copy of the weight the forward
// convolves by; weights, state and steps are those of LibTorch's Adam fed the same gradients,
// and the gradients those of LibTorch's convolution under autocast.
TEST(FusedAdam, Bf16TrainingTakesBf16GradientsAndKeepsTheWeightCopy) {
  for (int64_t size : {6, 2}) {  // oneDNN's weight gradient, and the columns route
    torch::manual_seed(5);
    torch::nn::Conv2d conv(torch::nn::Conv2dOptions(8, 6, 3).padding(1).bias(false));
    torch::nn::Conv2d ref(torch::nn::Conv2dOptions(8, 6, 3).padding(1).bias(false));
    {
      torch::NoGradGuard no_grad;
      ref->weight.copy_(conv->weight);
    }
    const auto options = torch::optim::AdamOptions(1e-2).weight_decay(1e-3);
    train::FusedAdam opt({conv->weight}, options);
    torch::optim::Adam reference({ref->weight}, options);
    const auto x = torch::randn({4, 8, size, size});
    const auto go = torch::randn({4, 6, size, size});
    const auto backward = [&](torch::nn::Conv2d c, bool ours) {
      torch::Tensor y;
      {
        train::AutocastGuard autocast(true, torch::kCPU);
        y = ours ? models::conv_forward(*c, x) : c->forward(x);
      }
      (y.to(torch::kFloat32) * go).sum().backward();
      return y;
    };
    const auto plain_forward = [&] {
      train::AutocastGuard autocast(true, torch::kCPU);
      torch::NoGradGuard no_grad;
      return conv->forward(x);
    };
    for (int step = 0; step < 4; ++step) {
      train::clear_gradients(opt);
      ref->weight.mutable_grad() = torch::Tensor();
      const auto y = backward(conv, true);
      const auto master = models::bf16_master(conv->weight, false);
      ASSERT_TRUE(master);
      EXPECT_TRUE(master->copy.defined());
      // Gradients: fp32 to autograd until the optimiser has said it takes bf16 ones.
      EXPECT_EQ(conv->weight.grad().defined(), step == 0) << step;
      EXPECT_EQ(master->grad.defined(), step > 0) << step;
      const auto used = step == 0 ? conv->weight.grad().clone() : master->grad.to(torch::kFloat32);
      if (step > 0) {
        EXPECT_EQ(master->grad.scalar_type(), torch::kBFloat16);
      }
      backward(ref, false);
      EXPECT_TRUE(torch::equal(y, plain_forward())) << step;
      const auto lw = ref->weight.grad();
      EXPECT_TRUE(torch::allclose(used, lw, 1e-2, 1e-2 * lw.abs().max().item<float>())) << step;
      ref->weight.mutable_grad() = used;
      opt.step();
      reference.step();
      EXPECT_FALSE(master->grad.defined());
      EXPECT_TRUE(torch::allclose(conv->weight, ref->weight, 1e-5, 1e-6)) << step;
      EXPECT_TRUE(torch::equal(master->copy, conv->weight.to(torch::kBFloat16))) << step;
    }
    // A weight changed in place (a checkpoint loaded, say) outdates the copy.
    {
      torch::NoGradGuard no_grad;
      conv->weight.mul_(0.5);
    }
    const auto y = backward(conv, true);
    EXPECT_TRUE(torch::equal(models::bf16_master(conv->weight, false)->copy, conv->weight.to(torch::kBFloat16)));
    EXPECT_TRUE(torch::equal(y, plain_forward()));
    // Dropping gradients drops the kept one too.
    train::clear_gradients(opt);
    EXPECT_FALSE(models::bf16_master(conv->weight, false)->grad.defined());
  }
}

// A kept bf16 gradient reaches LibTorch's step when the optimiser cannot fuse (here: a double
// parameter joined it), as the parameter's fp32 gradient.
TEST(FusedAdam, KeptBf16GradientReachesLibTorchsStep) {
  torch::manual_seed(6);
  torch::nn::Conv2d conv(torch::nn::Conv2dOptions(4, 4, 3).padding(1).bias(false));
  train::FusedAdam opt({conv->weight}, torch::optim::AdamOptions(0.1));
  const auto x = torch::randn({2, 4, 5, 5});
  const auto run = [&] {
    train::clear_gradients(opt);
    torch::Tensor y;
    {
      train::AutocastGuard autocast(true, torch::kCPU);
      y = models::conv_forward(*conv, x);
    }
    y.to(torch::kFloat32).sum().backward();
  };
  run();
  opt.step();
  run();
  const auto kept = models::bf16_master(conv->weight, false)->grad.to(torch::kFloat32);
  auto d = torch::ones({3}, torch::kFloat64).requires_grad_();
  d.mutable_grad() = torch::ones_like(d);
  opt.add_param_group(torch::optim::OptimizerParamGroup({d}));
  const auto before = conv->weight.detach().clone();
  opt.step();
  EXPECT_TRUE(torch::equal(conv->weight.grad(), kept));
  EXPECT_FALSE(torch::equal(conv->weight, before));
  EXPECT_FALSE(models::bf16_master(conv->weight, false)->optimiser_takes_bf16_gradients);
  EXPECT_NEAR(d[0].item<double>(), 0.9, 1e-6);
}
