#include "alloyml/tasks/gfa/regressor.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>

#include <torch/torch.h>

#include "alloyml/core/error.h"
#include "alloyml/core/rng.h"
#include "alloyml/eval/metrics.h"
#include "alloyml/models/registry.h"
#include "alloyml/train/autocast.h"
#include "alloyml/losses/regression.h"
#include "alloyml/train/checkpoint.h"
#include "alloyml/train/network.h"
#include "alloyml/train/torch_task.h"
#include "alloyml/train/optimizer.h"
#include "alloyml/train/precision.h"
#include "alloyml/train/regression.h"

namespace alloyml::tasks {
namespace {

torch::Tensor index_tensor(const std::vector<size_t>& idx, size_t begin, size_t end) {
  std::vector<int64_t> v(idx.begin() + static_cast<std::ptrdiff_t>(begin), idx.begin() + static_cast<std::ptrdiff_t>(end));
  return torch::tensor(v, torch::kInt64);
}

// Model outputs (N) for the samples `idx` of `all` (N x C x H x W), in eval mode.
std::vector<double> infer(models::ClassifierImpl& model, const torch::Tensor& all, const std::vector<size_t>& idx,
                          int batch, const torch::Device& device, bool bf16) {
  c10::InferenceMode guard;
  model.eval();
  std::vector<double> out;
  out.reserve(idx.size());
  const size_t step = static_cast<size_t>(std::max(1, batch));
  for (size_t b = 0; b < idx.size(); b += step) {
    const auto x = all.index_select(0, index_tensor(idx, b, std::min(idx.size(), b + step))).to(device);
    torch::Tensor y;
    {
      train::AutocastGuard autocast(bf16, device);
      y = model.forward(x);
    }
    y = y.reshape({-1}).to(torch::kCPU, torch::kFloat64).contiguous();
    out.insert(out.end(), y.data_ptr<double>(), y.data_ptr<double>() + y.numel());
  }
  return out;
}

class RegressionTask : public train::TorchTask {
 public:
  RegressionTask(const RegressionSetup& setup, const RegressionData& data, std::vector<size_t> train,
                 std::vector<size_t> val)
      : setup_(setup), data_(data), train_(std::move(train)), val_(std::move(val)), device_(setup.device),
        net_(train::make_trainable_network(setup.model, setup.optim, setup.transfer, setup.seed, device_, false)) {
    if (data.images.size() != data.size() * data.sample_floats())
      throw Error("regression data: image buffer does not match the sample count");
    // The images stay on the CPU (no copy); batches are gathered and moved per step.
    images_ = torch::from_blob(const_cast<float*>(data.images.data()),
                               {static_cast<int64_t>(data.size()), data.c, data.h, data.w}, torch::kFloat32);
    targets_ = torch::tensor(data.targets, torch::kFloat64).to(torch::kFloat32);
    weights_ = data.weights.empty() ? torch::ones({static_cast<int64_t>(data.size())})
                                    : torch::tensor(data.weights, torch::kFloat64).to(torch::kFloat32);
    hold_module("model", *net_.model);
    hold_optimizer("optim0", *net_.optimizer);
    hold_scalar("sum_loss", sum_loss_);
    hold_scalar("seen", seen_);
  }

  int64_t steps_per_epoch() const override {
    const size_t bs = static_cast<size_t>(setup_.batch_size);
    return static_cast<int64_t>((train_.size() + bs - 1) / bs);
  }

  void begin_epoch(int epoch, int64_t first_step) override {
    order_ = train_;
    seeded_shuffle(order_, derive_seed(setup_.seed, 0x5EED, static_cast<uint64_t>(epoch)));
    train::set_backbone_frozen(net_, epoch < setup_.transfer.freeze_epochs);
    if (first_step == 0) sum_loss_ = seen_ = 0;
  }

  train::StepResult run_step(int epoch, int64_t step) override {
    const size_t bs = static_cast<size_t>(setup_.batch_size);
    const size_t begin = static_cast<size_t>(step) * bs, end = std::min(order_.size(), begin + bs);
    if (begin >= end) return {};
    torch::manual_seed(derive_seed(setup_.seed, 0x57E9, static_cast<uint64_t>(epoch), static_cast<uint64_t>(step)));
    const auto idx = index_tensor(order_, begin, end);
    auto x = images_.index_select(0, idx).to(device_);
    auto y = targets_.index_select(0, idx).to(device_);
    auto w = weights_.index_select(0, idx).to(device_);
    if (setup_.mixup_alpha > 0 && x.size(0) > 1 && torch::rand({1}).item<double>() < setup_.mixup_prob) {
      // lambda ~ Beta(a, a) as G1 / (G1 + G2) with G ~ Gamma(a, 1).
      const auto g = torch::_standard_gamma(torch::full({2}, setup_.mixup_alpha, torch::kFloat64));
      const double lambda = (g[0] / (g[0] + g[1])).item<double>();
      const auto perm = torch::randperm(x.size(0), torch::kInt64).to(device_);
      x = lambda * x + (1 - lambda) * x.index_select(0, perm);
      y = lambda * y + (1 - lambda) * y.index_select(0, perm);
      w = lambda * w + (1 - lambda) * w.index_select(0, perm);
    }
    net_.model->train();
    train::clear_gradients(*net_.optimizer);
    torch::Tensor pred;
    {
      train::AutocastGuard autocast(bf16_, device_);
      pred = net_.model->forward(x);
    }
    pred = pred.to(torch::kFloat32).reshape({-1});
    const auto loss = (losses::pointwise_regression_loss(setup_.loss, pred, y, setup_.huber_delta) * w).mean();
    loss.backward();
    net_.optimizer->step();
    const double l = finite_loss(loss, epoch);
    const double n = static_cast<double>(end - begin);
    sum_loss_ += l * n;
    seen_ += n;
    return {n, l};
  }

  train::Scalars end_epoch(int) override {
    train::Scalars m;
    m["train_loss"] = seen_ > 0 ? sum_loss_ / seen_ : NAN;
    if (!val_.empty()) {
      const auto out = infer(*net_.model, images_, val_, setup_.eval_batch_size, device_, bf16_);
      std::vector<double> truth, pred;
      double loss = 0;
      for (size_t i = 0; i < val_.size(); ++i) {
        const double d = out[i] - data_.targets[val_[i]];
        loss += d * d;
        truth.push_back(data_.raw[val_[i]]);
        pred.push_back(train::to_user_units(out[i], setup_.target_transform, setup_.non_negative_target));
      }
      const auto r = eval::regression_metrics(truth, pred);
      m["val_loss"] = loss / static_cast<double>(val_.size());
      m["val_rmse"] = r.rmse;
      m["val_mae"] = r.mae;
      m["val_r2"] = r.r2;
    }
    return m;
  }

  std::string status() const override {
    std::ostringstream os;
    os.precision(3);
    if (seen_ > 0) os << "loss " << sum_loss_ / seen_;
    return os.str();
  }

 private:
  RegressionSetup setup_;
  const RegressionData& data_;
  std::vector<size_t> train_, val_, order_;
  torch::Device device_;
  bool bf16_ = setup_.precision == "bf16";
  train::TrainableNetwork net_;
  torch::Tensor images_, targets_, weights_;
  double sum_loss_ = 0, seen_ = 0;
};

}  // namespace

std::unique_ptr<train::Task> make_regression_task(const RegressionSetup& setup, const RegressionData& data,
                                                  std::vector<size_t> train, std::vector<size_t> val) {
  return std::make_unique<RegressionTask>(setup, data, std::move(train), std::move(val));
}

struct RegressionModel::Impl {
  models::Classifier model;
  torch::Device device{torch::kCPU};
  bool bf16 = false;
};

RegressionModel::RegressionModel(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RegressionModel::~RegressionModel() = default;

std::unique_ptr<RegressionModel> RegressionModel::load(const models::ModelOptions& options, const std::string& checkpoint,
                                                       const std::string& device) {
  auto impl = std::make_unique<Impl>();
  models::ModelOptions o = options;
  o.pretrained.clear();  // the checkpoint holds every weight
  impl->model = models::create_model(o);
  impl->device = torch::Device(device);
  train::load_checkpoint_file(checkpoint, impl->model.get(), {});
  impl->model->to(impl->device);
  impl->model->prepare_for_inference(train::inference_options("fp32", false, train::cpu_flags()));
  return std::unique_ptr<RegressionModel>(new RegressionModel(std::move(impl)));
}

void RegressionModel::set_precision(const std::string& precision) {
  impl_->bf16 = precision == "bf16";
  impl_->model->prepare_for_inference(train::inference_options(precision, false, train::cpu_flags()));
}

std::vector<double> RegressionModel::predict(const float* images, size_t n, int c, int h, int w, int batch_size) {
  const auto all = torch::from_blob(const_cast<float*>(images), {static_cast<int64_t>(n), c, h, w}, torch::kFloat32);
  std::vector<size_t> idx(n);
  std::iota(idx.begin(), idx.end(), size_t{0});
  return infer(*impl_->model, all, idx, batch_size, impl_->device, impl_->bf16);
}

std::int64_t RegressionModel::parameter_count() const {
  int64_t n = 0;
  for (const auto& p : impl_->model->parameters()) n += p.numel();
  return n;
}

}  // namespace alloyml::tasks
