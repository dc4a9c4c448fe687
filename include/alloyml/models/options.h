#pragma once
// Options of a model, filled from the config's "model" section. Plain aggregate, no torch.
#include <optional>
#include <string>
#include <vector>

#include "alloyml/core/option_keys.h"

namespace alloyml::models {

/// Options of the multi-scale ResNet family only.
struct MultiscaleOptions {
  /// The stages (1..4) whose pooled outputs are fused. Default {2, 3, 4}.
  std::vector<int> stages{2, 3, 4};
};

/// The classifier head on the pooled embedding.
struct HeadOptions {
  /// "auto" (the family's own: dense for the multi-scale and shrinkage families, linear for the
  /// rest), "linear" (one FC) or "dense" (dropout, dense layer with ReLU, FC: Huang et al. 2023,
  /// Fig. 1b). Default "auto".
  std::string kind = "auto";
  /// Hidden units of a dense head (the multi-scale fusion MLP's too). Default 512.
  int hidden = 512;
};

/// Options every classifier family shares (a regressor is a classifier with one output), with the
/// families' own options as members. Families of other roles (generators, discriminators) have
/// their own structs (models/registry.h, add_network).
struct ModelOptions {
  /// Registered architecture name (see `alloyml-train --list-models`). Default "resnet18".
  std::string name = "resnet18";
  /// Output classes; 0 takes the count from the data. Default 0.
  int num_classes = 0;
  /// Input image channels (1 grayscale, 3 RGB). Default 3.
  int in_channels = 3;
  /// Channels of the stem and first stage (64 in the papers); smaller for tiny models. Default 64.
  int width = 64;
  /// Dropout in the classifier head; unset: the family's own (0.5 for VGG, AlexNet, SqueezeNet and
  /// Inception v3, 0.2 for MobileNet, GoogLeNet and GhostNet, none for ResNet, DenseNet and Res2Net),
  /// 0: none. Default unset.
  std::optional<double> dropout;
  /// The multi-scale family's own options (multiscale_resnet50; Sheng 2024).
  MultiscaleOptions multiscale;
  /// The head (ResNet families).
  HeadOptions head;
  /// A .pth (torch.save state dict, checkpoint or TorchScript) to start from; empty: random init.
  std::string pretrained;
  /// Naming profile of `pretrained`: "auto", "torchvision", "timm" or "cadene". Default "auto".
  std::string weights_profile = "auto";
  /// Load what fits and report the rest instead of failing on missing/unexpected keys. Default false.
  bool allow_partial = false;
  /// Cadene pretrainedmodels SENet stem: max-pool with ceil_mode and no padding. Set from the
  /// weights' profile. Default false (torchvision/timm: padding 1).
  bool ceil_stem_pool = false;

  /// model.dropout, or the family's default when unset.
  double dropout_or(double family_default) const { return dropout ? *dropout : family_default; }
};

/// The "model" section's keys (model.json's "model" object keeps these, the internal ones and
/// visit_classifier_keys'). A task sets model.name's default and check (tasks/schema_parts.cpp).
template <class V>
void visit_keys(V& v, ModelOptions& o) {
  using options::key;
  v(o.name, key("name", "architecture (alloyml-train --list-models)"));
  v(o.in_channels, key("in_channels", "input channels, from input.channels").not_configurable());
  v(o.width, key("width", "stem/first-stage channels (64 in the papers)").range(8, 1024));
  v(o.dropout, key("dropout", "dropout in the classifier head; null: the family's own, 0: none").range(0, 0.99));
  v(o.multiscale.stages, key("stages", "multiscale: fused stages (1..4)").range(1, 4));
  v(o.head.hidden, key("hidden", "hidden units of a dense head (multiscale: the fusion MLP)").at_least(1));
  v(o.head.kind, key("head", "auto (the family's own), linear (one FC) or dense (dropout, dense+ReLU, FC)")
                     .one_of({"auto", "linear", "dense"}));
  v(o.pretrained, key("pretrained", "a .pth to start from (torchvision, timm or Cadene names)").null_when_empty());
  v(o.weights_profile, key("weights_profile", "naming of model.pretrained: auto, torchvision, timm, cadene")
                           .one_of({"auto", "torchvision", "timm", "cadene"}));
  v(o.allow_partial, key("allow_partial", "load what fits from model.pretrained and report the rest"));
  v(o.ceil_stem_pool, key("ceil_stem_pool", "Cadene's stem pool, from the weights' profile").not_configurable());
}

/// The image classifier's own model key (a regressor has one output).
template <class V>
void visit_classifier_keys(V& v, ModelOptions& o) {
  v(o.num_classes, options::key("num_classes", "output classes; 0 = from the data").at_least(0));
}

/// Every key model.json keeps.
struct VisitAllModelKeys {
  template <class V>
  void operator()(V& v, ModelOptions& o) const {
    visit_keys(v, o);
    visit_classifier_keys(v, o);
  }
};

/// How a model is rewritten for inference (prepare_for_inference).
struct InferenceOptions {
  /// NHWC weights and activations on the dense path (helps oneDNN at 128 px and more).
  bool channels_last = false;
  /// oneDNN's blocked layout with pre-packed weights (as torch.jit.optimize_for_inference
  /// freezes a graph), where the model and the device allow it (CPU, oneDNN present).
  bool onednn = true;
  /// Pack weights and run the oneDNN path in bf16. Only where the CPU has AVX-512 (oneDNN's
  /// bf16 convolutions need it); otherwise callers run the dense path under autocast.
  bool bf16 = false;
};

/// The naming profile of a weight file ("torchvision", "timm" or "cadene"); InputError when the
/// file cannot be read. Implemented beside the weight reader.
std::string weights_profile_of(const std::string& path);

/// The registered model names, sorted (implemented beside the registry).
std::vector<std::string> model_names();

/// Whether the registered model `name` takes model.width (the ResNet families); the others keep
/// their published layout. Implemented beside the registry.
bool model_has_width(const std::string& name);

/// One line describing a registered model, for listings.
std::string model_description(const std::string& name);

}  // namespace alloyml::models
