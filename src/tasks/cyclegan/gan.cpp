// CycleGAN's training step and translation (Zhu et al., ICCV 2017, Section 3-4 and their public
// code's cycle_gan_model.py): LSGAN adversarial losses (Eq. 1 with Mao et al.'s least squares),
// cycle consistency (Eq. 2) weighted lambda, the identity loss weighted lambda_identity * lambda,
// one Adam over both generators and one over both discriminators, and a history pool of generated
// images per discriminator. Torch unit.
#include "gan.h"

#include <cmath>
#include <filesystem>

#include <opencv2/imgproc.hpp>
#include <spdlog/spdlog.h>
#include <torch/torch.h>

#include "alloyml/core/error.h"
#include "alloyml/core/rng.h"
#include "alloyml/losses/gan.h"
#include "alloyml/losses/regression.h"
#include "alloyml/models/cyclegan.h"
#include "alloyml/models/registry.h"
#include "alloyml/train/autocast.h"
#include "alloyml/train/batch.h"
#include "alloyml/train/checkpoint.h"
#include "alloyml/train/image_pool.h"
#include "alloyml/train/optimizer.h"
#include "alloyml/train/torch_task.h"
#include "alloyml/vision/plot.h"

namespace fs = std::filesystem;

namespace alloyml::tasks {
namespace {

using models::ImageNetwork;

ImageNetwork build(const std::string& name, models::Role role, const models::GeneratorOptions& g,
                   const models::DiscriminatorOptions& d) {
  const auto& r = models::model_registry();
  auto m = role == models::Role::Generator ? r.create_network(name, role, g) : r.create_network(name, role, d);
  auto net = std::dynamic_pointer_cast<models::ImageNetworkImpl>(m);
  if (!net) throw Error("network '" + name + "' is not an image network");
  return net;
}

std::vector<torch::Tensor> parameters_of(const std::vector<ImageNetwork>& nets) {
  std::vector<torch::Tensor> p;
  for (const auto& n : nets)
    for (auto& t : n->parameters()) p.push_back(t);
  return p;
}

void set_requires_grad(const std::vector<ImageNetwork>& nets, bool on) {
  for (const auto& n : nets)
    for (auto& t : n->parameters()) t.requires_grad_(on);
}

torch::Tensor mean_l1(const torch::Tensor& a, const torch::Tensor& b) {
  return losses::pointwise_regression_loss("l1", a, b, 0.0).mean();
}

// [-1, 1] images (N x C x H x W) to 8-bit Mats (grey, or RGB as the loaders decode).
std::vector<cv::Mat> to_mats(const torch::Tensor& images) {
  const auto u8 = ((images.detach().to(torch::kCPU, torch::kFloat32) * 0.5 + 0.5) * 255.0)
                      .round()
                      .clamp(0, 255)
                      .to(torch::kUInt8)
                      .permute({0, 2, 3, 1})
                      .contiguous();
  std::vector<cv::Mat> out;
  const int h = static_cast<int>(u8.size(1)), w = static_cast<int>(u8.size(2)), c = static_cast<int>(u8.size(3));
  for (int64_t i = 0; i < u8.size(0); ++i)
    out.push_back(cv::Mat(h, w, CV_8UC(c), u8[i].data_ptr<uint8_t>()).clone());
  return out;
}

// One row per image: real, translated, reconstructed (BGR for the PNG), enlarged to at least 96 px.
cv::Mat grid_rows(const std::vector<cv::Mat>& real, const std::vector<cv::Mat>& fake, const std::vector<cv::Mat>& rec) {
  std::vector<cv::Mat> rows;
  for (size_t i = 0; i < real.size(); ++i) {
    std::vector<cv::Mat> cells;
    for (const cv::Mat* m : {&real[i], &fake[i], &rec[i]}) {
      cv::Mat bgr;
      if (m->channels() == 1) cv::cvtColor(*m, bgr, cv::COLOR_GRAY2BGR);
      else cv::cvtColor(*m, bgr, cv::COLOR_RGB2BGR);
      const int side = std::max(96, bgr.cols);
      if (bgr.cols != side) cv::resize(bgr, bgr, {side, side * bgr.rows / bgr.cols}, 0, 0, cv::INTER_NEAREST);
      cv::copyMakeBorder(bgr, bgr, 2, 2, 2, 2, cv::BORDER_CONSTANT, cv::Scalar(255, 255, 255));
      cells.push_back(bgr);
    }
    cv::Mat row;
    cv::hconcat(cells, row);
    rows.push_back(row);
  }
  cv::Mat out;
  cv::vconcat(rows, out);
  return out;
}

cv::Mat titled(const cv::Mat& body, const std::string& title) {
  cv::Mat head(28, body.cols, CV_8UC3, cv::Scalar(255, 255, 255));
  cv::putText(head, title, {4, 19}, cv::FONT_HERSHEY_SIMPLEX, 0.45, cv::Scalar(0, 0, 0), 1, cv::LINE_AA);
  cv::Mat out;
  cv::vconcat(head, body, out);
  return out;
}

class CycleGanTask : public train::TorchTask {
 public:
  CycleGanTask(const CycleGanSetup& s, data::ImageLoader& a, data::ImageLoader& b, data::Batch grid_a, data::Batch grid_b)
      : s_(s), a_(a), b_(b), device_(s.device), bf16_(s.precision == "bf16"), pool_a_(s.pool_size), pool_b_(s.pool_size),
        grid_a_(std::move(grid_a)), grid_b_(std::move(grid_b)) {
    torch::manual_seed(s.seed);
    g_ab_ = build(s.generator, models::Role::Generator, s.g, s.d);
    g_ba_ = build(s.generator, models::Role::Generator, s.g, s.d);
    d_a_ = build(s.discriminator, models::Role::Discriminator, s.g, s.d);
    d_b_ = build(s.discriminator, models::Role::Discriminator, s.g, s.d);
    for (const auto& n : {g_ab_, g_ba_, d_a_, d_b_}) n->to(device_);
    optim_g_ = train::make_optimizer(s.optim, {{parameters_of({g_ab_, g_ba_}), s.optim.lr}});
    optim_d_ = train::make_optimizer(s.optim, {{parameters_of({d_a_, d_b_}), s.optim.lr}});
    // The reference code's names: G_A (A->B), G_B (B->A), D_A (judges B), D_B (judges A); ours
    // say what each does.
    hold_module("g_ab", *g_ab_);
    hold_module("g_ba", *g_ba_);
    hold_module("d_a", *d_a_);
    hold_module("d_b", *d_b_);
    hold_optimizer("optim_g", *optim_g_);
    hold_optimizer("optim_d", *optim_d_);
    hold_tensor("pool_a", pool_a_.images());
    hold_tensor("pool_b", pool_b_.images());
    for (const auto& k : cyclegan_metric_keys()) hold_scalar("sum_" + k, sums_[k]);
    hold_scalar("seen", seen_);
  }

  int64_t steps_per_epoch() const override {
    return static_cast<int64_t>(std::min(a_.num_batches(), b_.num_batches()));
  }

  void begin_epoch(int epoch, int64_t first_step) override {
    a_.start_epoch(epoch, static_cast<size_t>(first_step));
    b_.start_epoch(epoch, static_cast<size_t>(first_step));
    if (first_step == 0) {
      for (auto& [k, v] : sums_) v = 0;
      seen_ = 0;
    }
  }

  train::StepResult run_step(int epoch, int64_t step) override {
    data::Batch ba, bb;
    if (!a_.next(ba) || !b_.next(bb)) throw Error("loader ended before the epoch's last step");
    if (ba.n == 0 || bb.n == 0) return {};
    // Dropout (model.dropout) and the pools' draws depend on (seed, epoch, step) only.
    torch::manual_seed(derive_seed(s_.seed, 0xC7C1E, static_cast<uint64_t>(epoch), static_cast<uint64_t>(step)));
    auto pool_rng = at::detail::createCPUGenerator(
        derive_seed(s_.seed, 0x9001, static_cast<uint64_t>(epoch), static_cast<uint64_t>(step)));
    for (const auto& n : {g_ab_, g_ba_, d_a_, d_b_}) n->train();
    const auto real_a = train::batch_images(ba, device_), real_b = train::batch_images(bb, device_);
    const double lambda = s_.lambda_cycle, lambda_idt = s_.lambda_identity * s_.lambda_cycle;
    std::map<std::string, double> v;

    // Generators: fool both discriminators, come back around the cycle, and leave an image of
    // the target domain alone (identity).
    set_requires_grad({d_a_, d_b_}, false);
    train::clear_gradients(*optim_g_);
    torch::Tensor fake_b, fake_a, loss_g;
    {
      train::AutocastGuard autocast(bf16_, device_);
      fake_b = g_ab_->forward(real_a);
      const auto rec_a = g_ba_->forward(fake_b);
      fake_a = g_ba_->forward(real_b);
      const auto rec_b = g_ab_->forward(fake_a);
      const auto adv_ab = losses::lsgan_loss(d_b_->forward(fake_b).to(torch::kFloat32), true);
      const auto adv_ba = losses::lsgan_loss(d_a_->forward(fake_a).to(torch::kFloat32), true);
      const auto cyc_a = mean_l1(rec_a.to(torch::kFloat32), real_a);
      const auto cyc_b = mean_l1(rec_b.to(torch::kFloat32), real_b);
      loss_g = adv_ab + adv_ba + lambda * (cyc_a + cyc_b);
      if (lambda_idt > 0) {
        const auto idt_b = mean_l1(g_ab_->forward(real_b).to(torch::kFloat32), real_b);  // G_AB of a B image is that image
        const auto idt_a = mean_l1(g_ba_->forward(real_a).to(torch::kFloat32), real_a);
        loss_g = loss_g + lambda_idt * (idt_a + idt_b);
        v["train_loss_identity_a"] = idt_a.item<double>();
        v["train_loss_identity_b"] = idt_b.item<double>();
      }
      v["train_loss_g_ab"] = adv_ab.item<double>();
      v["train_loss_g_ba"] = adv_ba.item<double>();
      v["train_loss_cycle_a"] = cyc_a.item<double>();
      v["train_loss_cycle_b"] = cyc_b.item<double>();
    }
    loss_g.backward();
    optim_g_->step();
    v["train_loss"] = finite_loss(loss_g, epoch);

    // Discriminators: real against generated, the generated drawn through the history pools;
    // each loss halved (the reference's backward_D_basic) so D learns slower than G.
    set_requires_grad({d_a_, d_b_}, true);
    train::clear_gradients(*optim_d_);
    const auto pooled_b = pool_b_.query(fake_b.detach().to(torch::kFloat32), pool_rng);
    const auto pooled_a = pool_a_.query(fake_a.detach().to(torch::kFloat32), pool_rng);
    torch::Tensor loss_d_b, loss_d_a;
    {
      train::AutocastGuard autocast(bf16_, device_);
      loss_d_b = 0.5 * (losses::lsgan_loss(d_b_->forward(real_b).to(torch::kFloat32), true) +
                        losses::lsgan_loss(d_b_->forward(pooled_b).to(torch::kFloat32), false));
      loss_d_a = 0.5 * (losses::lsgan_loss(d_a_->forward(real_a).to(torch::kFloat32), true) +
                        losses::lsgan_loss(d_a_->forward(pooled_a).to(torch::kFloat32), false));
    }
    (loss_d_a + loss_d_b).backward();
    optim_d_->step();
    v["train_loss_d_a"] = finite_loss(loss_d_a, epoch);
    v["train_loss_d_b"] = finite_loss(loss_d_b, epoch);

    const double n = static_cast<double>(std::max(ba.n, bb.n));
    for (const auto& [k, x] : v) sums_[k] += x * n;
    seen_ += n;
    last_ = v;
    return {n, v["train_loss"]};
  }

  train::Scalars end_epoch(int epoch) override {
    train::Scalars m;
    for (const auto& k : cyclegan_metric_keys()) {
      if (k.rfind("train_loss_identity", 0) == 0 && s_.lambda_identity <= 0) continue;
      m[k] = seen_ > 0 ? sums_[k] / seen_ : NAN;
    }
    if (!s_.grid_dir.empty() && grid_a_.n > 0 && grid_b_.n > 0) write_grid(epoch);
    return m;
  }

  std::string status() const override {
    if (last_.empty()) return "";
    char buf[160];
    std::snprintf(buf, sizeof buf, "G %.3f D_A %.3f D_B %.3f cyc %.3f/%.3f", last_.at("train_loss"),
                  last_.at("train_loss_d_a"), last_.at("train_loss_d_b"), last_.at("train_loss_cycle_a"),
                  last_.at("train_loss_cycle_b"));
    return buf;
  }

 private:
  // Real A / A->B / A->B->A beside real B / B->A / B->A->B, one row per grid image.
  void write_grid(int epoch) {
    torch::NoGradGuard no_grad;
    for (const auto& n : {g_ab_, g_ba_}) n->eval();
    const auto ra = train::batch_images(grid_a_, device_), rb = train::batch_images(grid_b_, device_);
    const auto fb = g_ab_->forward(ra), fa = g_ba_->forward(rb);
    const auto left = titled(grid_rows(to_mats(ra), to_mats(fb), to_mats(g_ba_->forward(fb))), "real A | A->B | A->B->A");
    const auto right = titled(grid_rows(to_mats(rb), to_mats(fa), to_mats(g_ab_->forward(fa))), "real B | B->A | B->A->B");
    cv::Mat l = left, r = right;
    if (l.rows < r.rows) cv::copyMakeBorder(l, l, 0, r.rows - l.rows, 0, 0, cv::BORDER_CONSTANT, cv::Scalar(255, 255, 255));
    if (r.rows < l.rows) cv::copyMakeBorder(r, r, 0, l.rows - r.rows, 0, 0, cv::BORDER_CONSTANT, cv::Scalar(255, 255, 255));
    cv::Mat gap(l.rows, 12, CV_8UC3, cv::Scalar(255, 255, 255)), out;
    cv::hconcat(std::vector<cv::Mat>{l, gap, r}, out);
    fs::create_directories(s_.grid_dir);
    char name[32];
    std::snprintf(name, sizeof name, "epoch_%03d.png", epoch + 1);
    vision::write_png((fs::path(s_.grid_dir) / name).string(), out);
  }

  CycleGanSetup s_;
  data::ImageLoader& a_;
  data::ImageLoader& b_;
  torch::Device device_;
  bool bf16_;
  ImageNetwork g_ab_, g_ba_, d_a_, d_b_;
  std::unique_ptr<torch::optim::Optimizer> optim_g_, optim_d_;
  train::ImagePool pool_a_, pool_b_;
  data::Batch grid_a_, grid_b_;
  std::map<std::string, double> sums_;
  double seen_ = 0;
  std::map<std::string, double> last_;
};

}  // namespace

std::vector<std::string> cyclegan_metric_keys() {
  return {"train_loss_g_ab",    "train_loss_g_ba",       "train_loss_d_a",        "train_loss_d_b", "train_loss_cycle_a",
          "train_loss_cycle_b", "train_loss_identity_a", "train_loss_identity_b", "train_loss"};
}

std::unique_ptr<train::Task> make_cyclegan_task(const CycleGanSetup& setup, data::ImageLoader& a, data::ImageLoader& b,
                                                data::Batch grid_a, data::Batch grid_b) {
  return std::make_unique<CycleGanTask>(setup, a, b, std::move(grid_a), std::move(grid_b));
}

struct Translator::Impl {
  ImageNetwork generator;
  torch::Device device{torch::kCPU};
  bool bf16 = false;
};

Translator::Translator(const CycleGanSetup& s, const std::string& checkpoint, bool a_to_b) : impl_(std::make_unique<Impl>()) {
  impl_->generator = build(s.generator, models::Role::Generator, s.g, s.d);
  train::CheckpointState state;
  state.modules[a_to_b ? "g_ab" : "g_ba"] = impl_->generator.get();
  train::load_checkpoint_file(checkpoint, state);
  impl_->device = torch::Device(s.device);
  impl_->bf16 = s.precision == "bf16";
  impl_->generator->to(impl_->device);
  impl_->generator->eval();
}

Translator::~Translator() = default;

std::vector<cv::Mat> Translator::translate(const data::Batch& batch) {
  c10::InferenceMode inference;
  torch::Tensor out;
  {
    train::AutocastGuard autocast(impl_->bf16, impl_->device);
    out = impl_->generator->forward(train::batch_images(batch, impl_->device));
  }
  return to_mats(out);
}

std::int64_t Translator::parameter_count() const {
  std::int64_t n = 0;
  for (const auto& p : impl_->generator->parameters()) n += p.numel();
  return n;
}

namespace {
std::int64_t count(const ImageNetwork& net) {
  std::int64_t n = 0;
  for (const auto& p : net->parameters()) n += p.numel();
  return n;
}
}  // namespace

std::int64_t generator_parameters(const CycleGanSetup& s) {
  return count(build(s.generator, models::Role::Generator, s.g, s.d));
}

std::int64_t discriminator_parameters(const CycleGanSetup& s) {
  return count(build(s.discriminator, models::Role::Discriminator, s.g, s.d));
}

}  // namespace alloyml::tasks
