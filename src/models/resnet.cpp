#include "alloyml/models/resnet.h"

#include <algorithm>

namespace alloyml::models {
namespace nn = torch::nn;

DenseHeadImpl::DenseHeadImpl(int64_t in_features, int64_t hidden, int64_t num_classes, double dropout, bool dropout_first)
    : dropout_first(dropout_first) {
  fc1 = register_module("fc1", nn::Linear(in_features, hidden));
  drop = register_module("drop", nn::Dropout(dropout));
  fc2 = register_module("fc2", nn::Linear(hidden, num_classes));
}

torch::Tensor DenseHeadImpl::forward(const torch::Tensor& x) {
  if (dropout_first) return fc2(torch::relu(fc1(drop(x))));
  return fc2(drop(torch::relu(fc1(x))));
}

ResNetImpl::ResNetImpl(const ResNetSpec& spec, const ModelOptions& options)
    : spec_(spec), options_(options), inplanes_(options.width) {
  TORCH_CHECK(options.in_channels >= 1, "model.in_channels must be at least 1");
  TORCH_CHECK(options.width >= 8, "model.width must be at least 8");
  TORCH_CHECK(spec.block == Block::Basic || options.width * spec.base_width / 64 >= 1,
              "model.width ", options.width, " is too small for ", spec.groups, " groups of base width ",
              spec.base_width, " (needs width >= ", (64 + spec.base_width - 1) / spec.base_width, ")");
  TORCH_CHECK(options.num_classes >= 1, "model.num_classes must be at least 1");
  TORCH_CHECK(options.head.kind == "auto" || options.head.kind == "linear" || options.head.kind == "dense",
              "model.head must be auto, linear or dense, not '", options.head.kind, "'");
  TORCH_CHECK(!spec.multiscale || options.head.kind != "linear", "model.head: the multi-scale family fuses its stages with a dense head");
  TORCH_CHECK(options.head.hidden >= 1, "model.hidden must be at least 1");
  dense_head_ = spec.multiscale || options.head.kind == "dense" || (options.head.kind == "auto" && spec.dense_head);
  const int64_t w = options.width;
  conv1 = register_module("conv1", nn::Conv2d(nn::Conv2dOptions(options.in_channels, w, 7).stride(2).padding(3).bias(false)));
  bn1 = register_module("bn1", alloyml::nn::BatchNorm(w));
  layer1 = register_module("layer1", make_layer(w, spec.layers[0], 1));
  layer2 = register_module("layer2", make_layer(w * 2, spec.layers[1], 2));
  layer3 = register_module("layer3", make_layer(w * 4, spec.layers[2], 2));
  layer4 = register_module("layer4", make_layer(w * 8, spec.layers[3], 2));

  // Same initialisation as torchvision: Kaiming normal (fan_out) convolutions, unit BN.
  for (auto& m : modules(/*include_self=*/false)) {
    if (auto* c = m->as<nn::Conv2d>()) {
      nn::init::kaiming_normal_(c->weight, 0.0, torch::kFanOut, torch::kReLU);
    } else if (auto* b = m->as<nn::BatchNorm2d>()) {
      nn::init::ones_(b->weight);
      nn::init::zeros_(b->bias);
    }
  }
  if (spec.multiscale) {
    for (int s : options.multiscale.stages)
      TORCH_CHECK(s >= 1 && s <= 4, "model.stages: stage ", s, " is not in 1..4");
    TORCH_CHECK(!options.multiscale.stages.empty(), "model.stages must name at least one stage");
    num_features_ = 0;
    for (int s : options.multiscale.stages) num_features_ += stage_channels_[static_cast<size_t>(s - 1)];
  } else {
    num_features_ = stage_channels_.back();
  }
  reset_classifier(options.num_classes);
}

nn::Sequential ResNetImpl::make_layer(int64_t planes, int64_t blocks, int64_t stride) {
  nn::Sequential layer;
  for (int64_t i = 0; i < blocks; ++i) {
    BlockOptions o;
    o.inplanes = inplanes_;
    o.planes = planes;
    o.stride = i == 0 ? stride : 1;
    o.groups = spec_.groups;
    o.base_width = spec_.base_width;
    o.gate = spec_.gate;
    if (spec_.block == Block::Basic) {
      layer->push_back(BasicBlock(o));
      inplanes_ = planes * BasicBlockImpl::kExpansion;
    } else {
      layer->push_back(Bottleneck(o));
      inplanes_ = planes * BottleneckImpl::kExpansion;
    }
  }
  stage_channels_.push_back(inplanes_);
  return layer;
}

void ResNetImpl::prepare_for_inference(const InferenceOptions& options) {
  eval();
  torch::NoGradGuard no_grad;
  if (!folded_) {
    fold_batchnorm(*conv1, *bn1);
    for (auto* layer : {&layer1, &layer2, &layer3, &layer4})
      for (auto& block : (*layer)->children()) {
        if (auto* b = block->as<BasicBlockImpl>()) b->fold_batchnorms();
        if (auto* b = block->as<BottleneckImpl>()) b->fold_batchnorms();
      }
    folded_ = true;
  }
  // oneDNN's blocked layout with weights reordered once: the convolutions skip the per-call
  // weight reorder and the activations stay in the layout oneDNN computes in (optimize_for_inference).
  // SE and shrinkage gates need dense tensors, so those models keep the dense path.
  packed_ = options.onednn && spec_.gate == Gate::None && torch::hasMKLDNN() && conv1->weight.device().is_cpu();
  packed_dtype_ = options.bf16 ? torch::kBFloat16 : torch::kFloat32;
  packed_stem_ = packed_ ? PackedConv(*conv1, packed_dtype_) : PackedConv();
  for (auto* layer : {&layer1, &layer2, &layer3, &layer4})
    for (auto& block : (*layer)->children()) {
      if (auto* b = block->as<BasicBlockImpl>()) packed_ ? b->pack(packed_dtype_) : b->packed.clear();
      if (auto* b = block->as<BottleneckImpl>()) packed_ ? b->pack(packed_dtype_) : b->packed.clear();
    }
  // Dense path: oneDNN runs NHWC convolutions without reorders; forward_stages converts the input.
  channels_last_ = !packed_ && options.channels_last;
  const auto format = channels_last_ ? torch::MemoryFormat::ChannelsLast : torch::MemoryFormat::Contiguous;
  for (auto& p : parameters())
    if (p.dim() == 4) p.set_data(p.contiguous(format));
}

std::vector<torch::Tensor> ResNetImpl::forward_stages_packed(const torch::Tensor& x) {
  auto y = packed_stem_(x.contiguous().to(packed_dtype_).to_mkldnn());
  y.relu_();
  y = options_.ceil_stem_pool ? torch::mkldnn_max_pool2d(y, {3, 3}, {2, 2}, {0, 0}, {1, 1}, true)
                              : torch::mkldnn_max_pool2d(y, {3, 3}, {2, 2}, {1, 1});
  std::vector<torch::Tensor> out;
  for (int s = 1; s <= 4; ++s) {
    auto& layer = s == 1 ? layer1 : s == 2 ? layer2 : s == 3 ? layer3 : layer4;
    for (auto& block : layer->children()) {
      if (auto* b = block->as<BasicBlockImpl>()) y = b->forward_packed(y);
      if (auto* b = block->as<BottleneckImpl>()) y = b->forward_packed(y);
    }
    // Only the stages the head reads leave oneDNN's layout.
    const bool read = s == 4 || (spec_.multiscale && std::count(options_.multiscale.stages.begin(), options_.multiscale.stages.end(), s) > 0);
    out.push_back(read ? y.to_dense().to(torch::kFloat32) : torch::Tensor());
  }
  return out;
}

std::vector<torch::Tensor> ResNetImpl::forward_stages(const torch::Tensor& x) {
  if (packed_) return forward_stages_packed(x);
  auto y = conv1(channels_last_ ? x.contiguous(torch::MemoryFormat::ChannelsLast) : x);
  if (!folded_) y = bn1(y);
  y.relu_();
  // Cadene's SENet pools with ceil_mode and no padding; torchvision and timm with padding 1.
  y = options_.ceil_stem_pool ? max_pool2d_nhwc(y, 3, 2, 0, true) : max_pool2d_nhwc(y, 3, 2, 1, false);
  std::vector<torch::Tensor> out;
  static const char* const names[] = {"layer1", "layer2", "layer3", "layer4"};
  for (auto* layer : {&layer1, &layer2, &layer3, &layer4}) {
    y = (*layer)->forward(y);
    offer_feature_map(names[out.size()], y);
    out.push_back(y);
  }
  return out;
}

torch::Tensor ResNetImpl::forward_features(const torch::Tensor& x) {
  const auto stages = forward_stages(x);
  if (!spec_.multiscale) return stages.back().mean({2, 3});
  std::vector<torch::Tensor> pooled;
  for (int s : options_.multiscale.stages) pooled.push_back(stages[static_cast<size_t>(s - 1)].mean({2, 3}));
  return torch::cat(pooled, 1);
}

torch::Tensor ResNetImpl::forward_head(const torch::Tensor& features) {
  if (head) return head(features);
  auto f = features;
  if (const double p = options_.dropout_or(0.0); p > 0) f = torch::dropout(f, p, is_training());
  return fc(f);
}

void ResNetImpl::reset_classifier(int64_t num_classes) {
  TORCH_CHECK(num_classes >= 1, "reset_classifier: num_classes must be at least 1");
  num_classes_ = num_classes;
  if (dense_head_) {
    DenseHead h(num_features_, options_.head.hidden, num_classes, options_.dropout_or(0.0), /*dropout_first=*/!spec_.multiscale);
    head = head ? replace_module("head", h) : register_module("head", h);
  } else {
    nn::Linear l(num_features_, num_classes);
    fc = fc ? replace_module("fc", l) : register_module("fc", l);
  }
}

const std::vector<std::pair<std::string, ResNetSpec>>& resnet_variants() {
  using B = Block;
  using G = Gate;
  static const std::vector<std::pair<std::string, ResNetSpec>> variants{
      {"resnet10", {B::Basic, {1, 1, 1, 1}}},
      {"resnet18", {B::Basic, {2, 2, 2, 2}}},
      {"resnet34", {B::Basic, {3, 4, 6, 3}}},
      {"resnet50", {B::Bottleneck, {3, 4, 6, 3}}},
      {"resnet101", {B::Bottleneck, {3, 4, 23, 3}}},
      {"resnet152", {B::Bottleneck, {3, 8, 36, 3}}},
      {"resnext50_32x4d", {B::Bottleneck, {3, 4, 6, 3}, 32, 4}},
      {"resnext101_32x4d", {B::Bottleneck, {3, 4, 23, 3}, 32, 4}},
      {"resnext101_32x8d", {B::Bottleneck, {3, 4, 23, 3}, 32, 8}},
      {"seresnet34", {B::Basic, {3, 4, 6, 3}, 1, 64, G::SE}},
      {"seresnet50", {B::Bottleneck, {3, 4, 6, 3}, 1, 64, G::SE}},
      {"seresnet101", {B::Bottleneck, {3, 4, 23, 3}, 1, 64, G::SE}},
      {"seresnext26_32x4d", {B::Bottleneck, {2, 2, 2, 2}, 32, 4, G::SE}},
      {"seresnext50_32x4d", {B::Bottleneck, {3, 4, 6, 3}, 32, 4, G::SE}},
      {"seresnext101_32x4d", {B::Bottleneck, {3, 4, 23, 3}, 32, 4, G::SE}},
      {"multiscale_resnet18", {B::Basic, {2, 2, 2, 2}, 1, 64, G::None, true}},
      {"multiscale_resnet50", {B::Bottleneck, {3, 4, 6, 3}, 1, 64, G::None, true}},
      // Residual shrinkage networks (Zhao et al. 2020, DRSN-CW) and SARSN (Huang et al. 2023),
      // with the dense head of Huang et al.'s Fig. 1b.
      {"rsn18", {B::Basic, {2, 2, 2, 2}, 1, 64, G::Shrinkage, false, true}},
      {"rsn34", {B::Basic, {3, 4, 6, 3}, 1, 64, G::Shrinkage, false, true}},
      {"rsn50", {B::Bottleneck, {3, 4, 6, 3}, 1, 64, G::Shrinkage, false, true}},
      {"rsn101", {B::Bottleneck, {3, 4, 23, 3}, 1, 64, G::Shrinkage, false, true}},
      {"sarsn18", {B::Basic, {2, 2, 2, 2}, 1, 64, G::Sarsn, false, true}},
      {"sarsn34", {B::Basic, {3, 4, 6, 3}, 1, 64, G::Sarsn, false, true}},
      {"sarsn50", {B::Bottleneck, {3, 4, 6, 3}, 1, 64, G::Sarsn, false, true}},
      {"sarsn101", {B::Bottleneck, {3, 4, 23, 3}, 1, 64, G::Sarsn, false, true}},
  };
  return variants;
}

}  // namespace alloyml::models
