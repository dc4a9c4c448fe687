#include "alloyml/train/optimizer.h"

#include <spdlog/spdlog.h>

#include "alloyml/core/error.h"
#include "alloyml/train/fused_kernels.h"
#include "alloyml/weights/load.h"

namespace alloyml::train {

namespace {

// True when p, its gradient and (once created) its state share one dense fp32 CPU layout, so the
// update can run over flat memory.
bool fusable(const torch::Tensor& p) {
  const auto& g = p.grad();
  return p.scalar_type() == torch::kFloat32 && p.device().is_cpu() && g.scalar_type() == torch::kFloat32 &&
         !g.is_sparse() && p.is_non_overlapping_and_dense() && g.strides() == p.strides();
}

// The fused step of Adam (decoupled = false) and AdamW, with LibTorch's state bookkeeping
// (torch/csrc/api/src/optim/adam.cpp, adamw.cpp in 1.13). `Base` is the LibTorch optimiser.
template <typename Base, typename Options, typename State>
torch::Tensor fused_adam_step(Base& self, std::vector<torch::optim::OptimizerParamGroup>& groups,
                              ska::flat_hash_map<std::string, std::unique_ptr<torch::optim::OptimizerParamState>>& state,
                              const typename Base::LossClosure& closure, bool decoupled) {
  for (auto& group : groups) {
    if (static_cast<Options&>(group.options()).amsgrad()) return self.Base::step(closure);
    for (auto& p : group.params())
      if (p.grad().defined() && !fusable(p)) return self.Base::step(closure);
  }
  torch::Tensor loss;
  if (closure != nullptr) {
    at::AutoGradMode enable_grad(true);
    loss = closure();
  }
  torch::NoGradGuard no_grad;
  for (auto& group : groups) {
    const auto& o = static_cast<Options&>(group.options());
    for (auto& p : group.params()) {
      if (!p.grad().defined()) continue;
      auto& slot = state[c10::guts::to_string(p.unsafeGetTensorImpl())];
      if (!slot) {
        auto s = std::make_unique<State>();
        s->step(0);
        s->exp_avg(torch::zeros_like(p, torch::MemoryFormat::Preserve));
        s->exp_avg_sq(torch::zeros_like(p, torch::MemoryFormat::Preserve));
        slot = std::move(s);
      }
      auto& s = static_cast<State&>(*slot);
      s.step(s.step() + 1);
      auto& m = s.exp_avg();
      auto& v = s.exp_avg_sq();
      // A state loaded from a checkpoint may come in another layout than the parameter.
      if (m.strides() != p.strides()) m = torch::empty_strided(p.sizes(), p.strides(), m.options()).copy_(m);
      if (v.strides() != p.strides()) v = torch::empty_strided(p.sizes(), p.strides(), v.options()).copy_(v);
      const auto [beta1, beta2] = o.betas();
      AdamStep k;
      k.beta1 = static_cast<float>(beta1);
      k.beta2 = static_cast<float>(beta2);
      k.l2 = decoupled ? 0.0f : static_cast<float>(o.weight_decay());
      k.decay = decoupled ? static_cast<float>(1 - o.lr() * o.weight_decay()) : 1.0f;
      k.step_size = static_cast<float>(o.lr() / (1 - std::pow(beta1, s.step())));
      k.inv_sqrt_bias_correction2 = static_cast<float>(1 / std::sqrt(1 - std::pow(beta2, s.step())));
      k.eps = static_cast<float>(o.eps());
      float* pp = p.data_ptr<float>();
      const float* gp = p.grad().data_ptr<float>();
      float* mp = m.template data_ptr<float>();
      float* vp = v.template data_ptr<float>();
      at::parallel_for(0, p.numel(), 1 << 15, [&](int64_t begin, int64_t end) {
        adam_update(pp + begin, gp + begin, mp + begin, vp + begin, end - begin, k);
      });
    }
  }
  return loss;
}

}  // namespace

void clear_gradients(torch::optim::Optimizer& optimizer) {
  for (auto& group : optimizer.param_groups())
    for (auto& p : group.params()) p.mutable_grad().reset();
}

torch::Tensor FusedAdam::step(LossClosure closure) {
  return fused_adam_step<torch::optim::Adam, torch::optim::AdamOptions, torch::optim::AdamParamState>(
      *this, param_groups_, state_, closure, false);
}

torch::Tensor FusedAdamW::step(LossClosure closure) {
  return fused_adam_step<torch::optim::AdamW, torch::optim::AdamWOptions, torch::optim::AdamWParamState>(
      *this, param_groups_, state_, closure, true);
}


std::unique_ptr<torch::optim::Optimizer> make_optimizer(
    const OptimOptions& o, const std::vector<std::pair<std::vector<torch::Tensor>, double>>& groups) {
  std::vector<torch::optim::OptimizerParamGroup> g;
  for (const auto& [params, lr] : groups) {
    if (params.empty()) continue;
    std::unique_ptr<torch::optim::OptimizerOptions> opts;
    if (o.name == "sgd")
      opts = std::make_unique<torch::optim::SGDOptions>(
          torch::optim::SGDOptions(lr).momentum(o.momentum).nesterov(o.nesterov).weight_decay(o.weight_decay));
    else if (o.name == "adamw")
      opts = std::make_unique<torch::optim::AdamWOptions>(
          torch::optim::AdamWOptions(lr).betas({o.beta1, o.beta2}).weight_decay(o.weight_decay));
    else if (o.name == "adam")
      opts = std::make_unique<torch::optim::AdamOptions>(
          torch::optim::AdamOptions(lr).betas({o.beta1, o.beta2}).weight_decay(o.weight_decay));
    else
      throw InputError("optim.name '" + o.name + "' is not one of adam, adamw, sgd");
    g.emplace_back(params, std::move(opts));
  }
  if (o.name == "sgd") return std::make_unique<torch::optim::SGD>(g, torch::optim::SGDOptions(o.lr));
  if (o.name == "adamw") return std::make_unique<FusedAdamW>(g, torch::optim::AdamWOptions(o.lr));
  return std::make_unique<FusedAdam>(g, torch::optim::AdamOptions(o.lr));
}

std::pair<std::vector<torch::Tensor>, std::vector<torch::Tensor>> backbone_and_head(models::ClassifierImpl& model) {
  std::pair<std::vector<torch::Tensor>, std::vector<torch::Tensor>> out;
  const auto prefixes = model.classifier_prefixes();
  for (const auto& p : model.named_parameters()) {
    if (!p.value().requires_grad()) continue;  // frozen by the model itself (GoogLeNet's auxiliary heads)
    bool head = false;
    for (const auto& prefix : prefixes) head |= p.key().compare(0, prefix.size(), prefix) == 0;
    (head ? out.second : out.first).push_back(p.value());
  }
  return out;
}

double scale_learning_rates(torch::optim::Optimizer& optimizer, const std::vector<double>& base_lrs, double factor) {
  auto& groups = optimizer.param_groups();
  for (size_t g = 0; g < groups.size(); ++g) groups[g].options().set_lr(base_lrs[g] * factor);
  return base_lrs.empty() ? 0.0 : base_lrs[0] * factor;
}

}  // namespace alloyml::train
