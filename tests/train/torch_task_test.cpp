// The torch task base: a checkpoint holds several named networks, optimisers, tensor state and
// scalars, and a resumed task continues exactly where the saved one was.
#include <gtest/gtest.h>

#include <torch/torch.h>

#include "alloyml/core/error.h"
#include "alloyml/train/checkpoint.h"
#include "alloyml/train/torch_task.h"
#include "test_util.h"

using namespace alloyml;

namespace {

// Two networks under two optimisers (as a GAN's generator and discriminator), an image pool and
// a running scalar.
class TwoNetworkTask : public train::TorchTask {
 public:
  TwoNetworkTask() {
    torch::manual_seed(1);
    a_ = torch::nn::Linear(3, 2);
    b_ = torch::nn::Linear(2, 1);
    opt_a_ = std::make_unique<torch::optim::Adam>(a_->parameters(), torch::optim::AdamOptions(1e-2));
    opt_b_ = std::make_unique<torch::optim::SGD>(b_->parameters(), torch::optim::SGDOptions(1e-1).momentum(0.9));
    pool = torch::zeros({4, 2});
    hold_module("generator", *a_);
    hold_module("discriminator", *b_);
    hold_optimizer("optim_generator", *opt_a_);
    hold_optimizer("optim_discriminator", *opt_b_);
    hold_tensor("pool", pool);
    hold_scalar("sum_loss", sum_loss);
  }
  int64_t steps_per_epoch() const override { return 3; }
  void begin_epoch(int, int64_t) override {}
  train::StepResult run_step(int epoch, int64_t step) override {
    torch::manual_seed(100 + static_cast<uint64_t>(epoch * 10 + step));
    const auto x = torch::randn({5, 3});
    const auto h = a_->forward(x);
    const auto loss_a = h.pow(2).mean();
    opt_a_->zero_grad();
    loss_a.backward();
    opt_a_->step();
    const auto loss_b = b_->forward(h.detach()).pow(2).mean();
    opt_b_->zero_grad();
    loss_b.backward();
    opt_b_->step();
    pool.index_put_({step % 4}, h.detach()[0]);
    sum_loss += finite_loss(loss_a + loss_b, epoch);
    return {5, sum_loss};
  }
  train::Scalars end_epoch(int) override { return {}; }
  std::string status() const override { return ""; }
  torch::nn::Linear a_{nullptr}, b_{nullptr};
  std::unique_ptr<torch::optim::Optimizer> opt_a_, opt_b_;
  torch::Tensor pool;
  double sum_loss = 0;
};

bool same_parameters(torch::nn::Module& x, torch::nn::Module& y) {
  const auto px = x.parameters(), py = y.parameters();
  for (size_t i = 0; i < px.size(); ++i)
    if (!torch::equal(px[i], py[i])) return false;
  return true;
}

}  // namespace

TEST(TorchTask, CheckpointRestoresEveryNamedPartAndResumesExactly) {
  alloyml::testing::TempDir dir;
  TwoNetworkTask straight, first;
  for (int s = 0; s < 6; ++s) straight.run_step(s / 3, s % 3);
  for (int s = 0; s < 3; ++s) first.run_step(0, s);
  first.save_checkpoint(dir / "c.pt", {{"trainer.epoch", 1}});

  TwoNetworkTask resumed;  // same seed: the parts must come from the file, not the construction
  resumed.run_step(0, 0);  // and differ from it before loading
  const auto extra = resumed.load_checkpoint(dir / "c.pt");
  EXPECT_EQ(extra.at("trainer.epoch"), 1);
  EXPECT_TRUE(same_parameters(*resumed.a_, *first.a_));
  EXPECT_TRUE(torch::equal(resumed.pool, first.pool));
  EXPECT_DOUBLE_EQ(resumed.sum_loss, first.sum_loss);
  for (int s = 3; s < 6; ++s) resumed.run_step(1, s % 3);
  // Adam's moments and SGD's momentum came back too: the continued run equals the straight one.
  EXPECT_TRUE(same_parameters(*resumed.a_, *straight.a_));
  EXPECT_TRUE(same_parameters(*resumed.b_, *straight.b_));
  EXPECT_TRUE(torch::equal(resumed.pool, straight.pool));
}

TEST(TorchTask, LearningRateFactorScalesEveryOptimiser) {
  TwoNetworkTask t;
  EXPECT_DOUBLE_EQ(t.set_lr_factor(0.5), 5e-3);  // the first held optimiser's rate
  EXPECT_DOUBLE_EQ(t.opt_b_->param_groups()[0].options().get_lr(), 5e-2);
}

TEST(TorchTask, MissingPartIsNamedAndDivergenceStops) {
  alloyml::testing::TempDir dir;
  torch::nn::Linear only(3, 2);
  train::save_checkpoint_file(dir / "one.pt", *only, {}, {});
  TwoNetworkTask t;
  try {
    t.load_checkpoint(dir / "one.pt");
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("no network 'discriminator'"), std::string::npos) << e.what();
  }
  struct Probe : TwoNetworkTask {
    static double check(const torch::Tensor& l) { return finite_loss(l, 2); }
  };
  EXPECT_THROW(Probe::check(torch::tensor(std::nan(""))), Error);
  EXPECT_DOUBLE_EQ(Probe::check(torch::tensor(0.25)), 0.25);
}
