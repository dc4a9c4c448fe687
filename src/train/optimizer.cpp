#include "alloyml/train/optimizer.h"

#include <spdlog/spdlog.h>

#include "alloyml/core/error.h"
#include "alloyml/weights/load.h"

namespace alloyml::train {

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
  if (o.name == "adamw") return std::make_unique<torch::optim::AdamW>(g, torch::optim::AdamWOptions(o.lr));
  return std::make_unique<torch::optim::Adam>(g, torch::optim::AdamOptions(o.lr));
}

std::pair<std::vector<torch::Tensor>, std::vector<torch::Tensor>> backbone_and_head(models::ClassifierImpl& model) {
  std::pair<std::vector<torch::Tensor>, std::vector<torch::Tensor>> out;
  const auto prefixes = model.classifier_prefixes();
  for (const auto& p : model.named_parameters()) {
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

void load_pretrained(models::ClassifierImpl& model, const models::ModelOptions& options) {
  if (options.pretrained.empty()) return;
  weights::LoadOptions lo;
  lo.profile = options.weights_profile;
  lo.allow_partial = options.allow_partial;
  const auto report = weights::load_state_dict(model, weights::read_state_dict(options.pretrained), lo, options.pretrained);
  spdlog::info("pretrained weights {}:\n{}", options.pretrained, report.table());
}

}  // namespace alloyml::train
