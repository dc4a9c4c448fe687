// MoCo v2's training step (He et al., CVPR 2020, Algorithm 1; Chen et al. 2020, the MLP head and
// augmentation) and the k-NN probe (Wu et al., CVPR 2018, Sec. 3.4). Torch unit.
//  - queries q = normalise(g(f_q(x_q))), keys k = normalise(g_k(f_k(x_k))) of a second view, f a
//    registry classifier's pooled embedding and g the 2-layer MLP (MoCo v2);
//  - loss: InfoNCE (He et al. Eq. 1), cross-entropy over [q.k+, q.queue] / tau with the positive
//    first;
//  - the key encoder follows the query encoder by momentum (Eq. 2) before each step's keys;
//  - shuffling BN (Sec. 3.3) on one process: the keys' batch is shuffled and both batches pass
//    their encoders in moco.bn_splits groups with their own batch statistics, as on that many GPUs
//    (the authors' single-GPU CIFAR demo's SplitBatchNorm does the same);
//  - the queue (Sec. 3.1) takes each batch's keys, replacing the oldest; it also keeps which image
//    each key came from, and a query never has an older key of its own image as a negative (a
//    small-data choice of ours: docs/methods.md).
#include "moco.h"

#include <cmath>

#include <spdlog/spdlog.h>
#include <torch/torch.h>

#include "alloyml/core/error.h"
#include "alloyml/core/rng.h"
#include "alloyml/eval/metrics.h"
#include "alloyml/models/registry.h"
#include "alloyml/train/autocast.h"
#include "alloyml/train/batch.h"
#include "alloyml/train/optimizer.h"
#include "alloyml/train/torch_task.h"
#include "alloyml/weights/load.h"
#include "alloyml/weights/pth.h"

namespace alloyml::tasks {
namespace {

namespace F = torch::nn::functional;

bool is_head(const models::ClassifierImpl& m, const std::string& key) {
  for (const auto& p : m.classifier_prefixes())
    if (key.compare(0, p.size(), p) == 0) return true;
  return false;
}

torch::nn::Sequential projection(int64_t in, int64_t hidden, int64_t out) {
  return torch::nn::Sequential(torch::nn::Linear(in, hidden), torch::nn::ReLU(torch::nn::ReLUOptions(true)),
                               torch::nn::Linear(hidden, out));
}

// `x` through `f` in `splits` groups, each normalised by its own batch statistics.
torch::Tensor split_forward(models::ClassifierImpl& f, const torch::Tensor& x, int splits) {
  if (splits <= 1 || x.size(0) < 2) return f.forward_features(x);
  std::vector<torch::Tensor> parts;
  for (const auto& chunk : x.chunk(std::min<int64_t>(splits, x.size(0) / 2), 0))  // at least 2 images a group
    parts.push_back(f.forward_features(chunk));
  return torch::cat(parts, 0);
}

class MocoTask : public train::TorchTask, public PretrainTask {
 public:
  MocoTask(const MocoSetup& s, data::ImageLoader* views, const ProbeSet* probe, int probe_every, int epochs)
      : s_(s), views_(views), probe_(probe), probe_every_(probe_every), epochs_(epochs), device_(s.device),
        bf16_(s.precision == "bf16") {
    torch::manual_seed(s.seed);
    models::ModelOptions m = s.model;
    m.num_classes = 1;  // the head is never used, nor written
    query_ = models::create_model(m);
    weights::load_pretrained(*query_, m);  // model.pretrained: continue from a backbone
    key_ = models::create_model(m);
    const int64_t width = query_->num_features();
    const int64_t hidden = s.moco.hidden > 0 ? s.moco.hidden : width;
    proj_q_ = projection(width, hidden, s.moco.dim);
    proj_k_ = projection(width, hidden, s.moco.dim);
    query_->to(device_);
    key_->to(device_);
    proj_q_->to(device_);
    proj_k_->to(device_);
    {
      torch::NoGradGuard no_grad;
      copy_into(*query_, *key_);
      copy_into(*proj_q_, *proj_k_);
    }
    for (auto& p : key_->parameters()) p.requires_grad_(false);
    for (auto& p : proj_k_->parameters()) p.requires_grad_(false);
    std::vector<torch::Tensor> params;
    for (const auto& p : query_->named_parameters())
      if (!is_head(*query_, p.key()) && p.value().requires_grad()) params.push_back(p.value());
    for (auto& p : proj_q_->parameters()) params.push_back(p);
    optim_ = train::make_optimizer(s.optim, {{params, s.optim.lr}});
    queue_ = F::normalize(torch::randn({s.moco.dim, s.moco.queue}), F::NormalizeFuncOptions().dim(0)).to(device_);
    queue_ids_ = torch::full({s.moco.queue}, -1, torch::TensorOptions().dtype(torch::kLong)).to(device_);
    hold_module("model", *query_);
    hold_module("projection", *proj_q_);
    hold_module("key_model", *key_);
    hold_module("key_projection", *proj_k_);
    hold_optimizer("optim0", *optim_);
    hold_tensor("queue", queue_);
    hold_tensor("queue_ids", queue_ids_);
    hold_scalar("queue_ptr", queue_ptr_);
    hold_scalar("sum_loss", sum_loss_);
    hold_scalar("sum_correct", sum_correct_);
    hold_scalar("seen", seen_);
  }

  int64_t steps_per_epoch() const override { return views_ ? static_cast<int64_t>(views_->num_batches()) : 0; }

  void begin_epoch(int epoch, int64_t first_step) override {
    views_->start_epoch(epoch, static_cast<size_t>(first_step));
    if (first_step == 0) sum_loss_ = sum_correct_ = seen_ = 0;
  }

  train::StepResult run_step(int epoch, int64_t step) override {
    data::Batch b;
    if (!views_->next(b)) throw Error("loader ended before the epoch's last step");
    const int64_t n = b.n / 2;  // two consecutive rows per image
    if (n < 1) return {};
    torch::manual_seed(derive_seed(s_.seed, 0x40C0, static_cast<uint64_t>(epoch), static_cast<uint64_t>(step)));
    const auto x = train::batch_images(b, device_).view({n, 2, b.c, b.h, b.w});
    std::vector<int64_t> id(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) id[static_cast<size_t>(i)] = static_cast<int64_t>(b.indices[static_cast<size_t>(2 * i)]);
    const auto ids = torch::tensor(id).to(device_);
    const auto xq = x.select(1, 0), xk = x.select(1, 1);
    query_->train();
    key_->train();

    torch::Tensor k;
    {
      torch::NoGradGuard no_grad;
      momentum_update();
      const auto perm = torch::randperm(n, torch::TensorOptions().dtype(torch::kLong).device(device_));
      train::AutocastGuard autocast(bf16_, device_);
      auto shuffled = proj_k_->forward(split_forward(*key_, xk.index_select(0, perm), s_.moco.bn_splits));
      shuffled = F::normalize(shuffled.to(torch::kFloat32), F::NormalizeFuncOptions().dim(1));
      k = torch::empty_like(shuffled).index_copy_(0, perm, shuffled);  // back to the batch's order
    }
    train::clear_gradients(*optim_);
    torch::Tensor logits;
    {
      train::AutocastGuard autocast(bf16_, device_);
      auto q = proj_q_->forward(split_forward(*query_, xq, s_.moco.bn_splits));
      q = F::normalize(q.to(torch::kFloat32), F::NormalizeFuncOptions().dim(1));
      const auto l_pos = (q * k).sum(1, true);
      // An older key of the query's own image is no negative: with a few hundred images the queue
      // holds some, and as the encoder settles they become copies of the positive.
      const auto l_neg = torch::mm(q, queue_.clone()).masked_fill(ids.unsqueeze(1) == queue_ids_.unsqueeze(0), -1e4);
      logits = torch::cat({l_pos, l_neg}, 1) / s_.moco.temperature;
    }
    const auto target = torch::zeros({n}, torch::TensorOptions().dtype(torch::kLong).device(device_));
    const auto loss = F::cross_entropy(logits, target);
    loss.backward();
    optim_->step();
    enqueue(k, ids);
    const double l = finite_loss(loss, epoch);
    const double correct = (logits.argmax(1) == 0).sum().item<double>();
    sum_loss_ += l * static_cast<double>(n);
    sum_correct_ += correct;
    seen_ += static_cast<double>(n);
    last_loss_ = l;
    last_acc_ = correct / static_cast<double>(n);
    return {static_cast<double>(n), l};
  }

  train::Scalars end_epoch(int epoch) override {
    train::Scalars m;
    m["train_loss"] = seen_ > 0 ? sum_loss_ / seen_ : NAN;
    m["train_accuracy"] = seen_ > 0 ? sum_correct_ / seen_ : NAN;
    if (probe_ && ((epoch + 1) % probe_every_ == 0 || epoch + 1 == epochs_)) {
      const ProbeResult r = probe(*probe_);
      m["val_knn_accuracy"] = r.accuracy;
      m["val_knn_macro_f1"] = r.macro_f1;
    }
    return m;
  }

  std::string status() const override {
    char buf[96];
    std::snprintf(buf, sizeof buf, "loss %.3f inst-acc %.3f", last_loss_, last_acc_);
    return buf;
  }

  ProbeResult probe(const ProbeSet& set) override {
    const size_t total = set.labels.size();
    torch::Tensor emb;
    std::vector<bool> seen(total, false);
    {
      torch::NoGradGuard no_grad;
      query_->eval();
      set.loader->start_epoch(0);
      data::Batch b;
      while (set.loader->next(b)) {
        if (b.n == 0) continue;
        torch::Tensor e;
        {
          train::AutocastGuard autocast(bf16_, device_);
          e = query_->forward_features(train::batch_images(b, device_));
        }
        e = F::normalize(e.to(torch::kFloat32), F::NormalizeFuncOptions().dim(1)).cpu();
        if (!emb.defined()) emb = torch::zeros({static_cast<int64_t>(total), e.size(1)});
        std::vector<int64_t> at(b.indices.begin(), b.indices.begin() + b.n);
        emb.index_copy_(0, torch::tensor(at), e);
        for (size_t i : b.indices) seen[i] = true;
      }
      query_->train();
    }
    std::vector<int64_t> rows;
    for (size_t i = 0; i < total; ++i)
      if (seen[i]) rows.push_back(static_cast<int64_t>(i));
    ProbeResult r;
    r.images = rows.size();
    if (rows.size() < 2) return r;
    const auto idx = torch::tensor(rows);
    const auto e = emb.index_select(0, idx);
    auto sim = torch::mm(e, e.t());
    std::vector<int64_t> groups(rows.size()), labels(rows.size());
    for (size_t i = 0; i < rows.size(); ++i) {
      const auto s = static_cast<size_t>(rows[i]);
      groups[i] = set.groups.empty() ? static_cast<int64_t>(s) : static_cast<int64_t>(set.groups[s]);
      labels[i] = set.labels[s];
    }
    const auto g = torch::tensor(groups);
    sim.masked_fill_(g.unsqueeze(0) == g.unsqueeze(1), -INFINITY);  // itself and its group never vote
    const int64_t kk = std::min<int64_t>(set.k, static_cast<int64_t>(rows.size()) - 1);
    const auto top = sim.topk(kk, 1);
    const auto w = (std::get<0>(top) / set.temperature).exp();  // exp(-inf) = 0: a masked neighbour has no say
    const auto neighbour_labels = torch::tensor(labels).index({std::get<1>(top)});
    const auto classes = static_cast<int64_t>(set.class_names.size());
    const auto votes = torch::zeros({static_cast<int64_t>(rows.size()), classes}).scatter_add_(1, neighbour_labels, w);
    const auto pred = votes.argmax(1);
    std::vector<int64_t> predicted(rows.size());
    for (size_t i = 0; i < rows.size(); ++i) predicted[i] = pred[static_cast<int64_t>(i)].item<int64_t>();
    const auto metrics = eval::classification_metrics(labels, predicted, set.class_names);
    r.accuracy = metrics.accuracy;
    r.macro_f1 = metrics.macro_f1;
    for (const auto& c : metrics.per_class) r.recall.push_back(c.recall);
    return r;
  }

  void write_backbone(const std::string& path) override {
    weights::StateDict out;
    for (auto& [key, value] : weights::state_dict_of(*query_))
      if (!is_head(*query_, key)) out.emplace_back(key, value);
    weights::write_state_dict(path, out);
  }

  int64_t embedding_width() const override { return query_->num_features(); }

  int64_t backbone_parameters() const override {
    int64_t n = 0;
    for (const auto& p : query_->named_parameters())
      if (!is_head(*query_, p.key())) n += p.value().numel();
    return n;
  }

  train::Task& task() override { return *this; }

 private:
  static void copy_into(torch::nn::Module& from, torch::nn::Module& to) {
    auto src = from.named_parameters(), dst = to.named_parameters();
    for (const auto& p : src) dst[p.key()].copy_(p.value());
    auto sb = from.named_buffers(), db = to.named_buffers();
    for (const auto& b : sb) db[b.key()].copy_(b.value());
  }

  void momentum_update() {
    const double m = s_.moco.momentum;
    for (auto [q, k] : {std::pair<torch::nn::Module*, torch::nn::Module*>{query_.get(), key_.get()},
                        {proj_q_.ptr().get(), proj_k_.ptr().get()}}) {
      auto qp = q->named_parameters(), kp = k->named_parameters();
      for (const auto& p : qp) kp[p.key()].mul_(m).add_(p.value().detach(), 1.0 - m);
    }
  }

  void enqueue(const torch::Tensor& keys, torch::Tensor ids) {
    torch::NoGradGuard no_grad;
    const int64_t size = queue_.size(1);
    auto k = keys.detach();
    if (k.size(0) > size) {
      k = k.slice(0, k.size(0) - size);
      ids = ids.slice(0, ids.size(0) - size);
    }
    const auto ptr = static_cast<int64_t>(queue_ptr_);
    const auto cols = (torch::arange(k.size(0), torch::TensorOptions().dtype(torch::kLong)) + ptr).remainder(size).to(device_);
    queue_.index_copy_(1, cols, k.t().to(queue_.dtype()));
    queue_ids_.index_copy_(0, cols, ids);
    queue_ptr_ = static_cast<double>((ptr + k.size(0)) % size);
  }

  MocoSetup s_;
  data::ImageLoader* views_;
  const ProbeSet* probe_;
  int probe_every_, epochs_;
  torch::Device device_;
  bool bf16_;
  models::Classifier query_, key_;
  torch::nn::Sequential proj_q_{nullptr}, proj_k_{nullptr};
  std::unique_ptr<torch::optim::Optimizer> optim_;
  torch::Tensor queue_, queue_ids_;  ///< keys (dim x queue) and the image each came from (-1: initial)
  double queue_ptr_ = 0, sum_loss_ = 0, sum_correct_ = 0, seen_ = 0;
  double last_loss_ = 0, last_acc_ = 0;
};

}  // namespace

std::vector<std::string> pretrain_metric_keys() {
  return {"train_loss", "train_accuracy", "val_knn_accuracy", "val_knn_macro_f1"};
}

std::unique_ptr<PretrainTask> make_moco_task(const MocoSetup& setup, data::ImageLoader* views, const ProbeSet* probe,
                                             int probe_every, int epochs) {
  return std::make_unique<MocoTask>(setup, views, probe, probe_every, epochs);
}

}  // namespace alloyml::tasks
