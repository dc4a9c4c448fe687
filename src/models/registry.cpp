#include "alloyml/models/registry.h"

#include <algorithm>

#include "alloyml/core/error.h"
#include "alloyml/core/text.h"
#include "alloyml/models/baselines.h"
#include "alloyml/models/cyclegan.h"
#include "alloyml/models/resnet.h"
#include "alloyml/models/densenet.h"
#include "alloyml/models/ghostnet.h"
#include "alloyml/models/googlenet.h"
#include "alloyml/models/inception_v3.h"
#include "alloyml/models/mobilenet_v3.h"
#include "alloyml/models/res2net.h"
#include "alloyml/models/squeezenet.h"

namespace alloyml::models {

const char* role_name(Role role) {
  switch (role) {
    case Role::Classifier: return "classifier";
    case Role::Generator: return "generator";
    case Role::Discriminator: return "discriminator";
  }
  return "network";
}

void ModelRegistry::add(const std::string& name, Builder builder, std::string description) {
  Entry e;
  e.builder = std::move(builder);
  e.description = std::move(description);
  entries_[name] = std::move(e);
}

const ModelRegistry::Entry& ModelRegistry::entry(const std::string& name, Role role) const {
  const auto it = entries_.find(name);
  if (it == entries_.end() || it->second.role != role) {
    const auto valid = names(role);
    const std::string guess = closest(name, valid);
    throw InputError("unknown " + std::string(role == Role::Classifier ? "model" : role_name(role)) + " '" + name + "'" +
                     (guess.empty() ? "" : "; did you mean '" + guess + "'?") + " Valid names: " + join(valid));
  }
  return it->second;
}

void ModelRegistry::throw_options_mismatch(const std::string& name) {
  throw Error("network '" + name + "' was asked for with the options of another family");
}

Classifier ModelRegistry::create(const ModelOptions& options) const {
  const Entry& e = entry(options.name, Role::Classifier);
  try {
    return e.builder(options);
  } catch (const c10::Error& ex) {
    throw InputError("model '" + options.name + "': " + ex.msg());
  }
}

std::vector<std::string> ModelRegistry::names(Role role) const {
  std::vector<std::string> out;
  for (const auto& [n, e] : entries_)
    if (e.role == role) out.push_back(n);
  return out;
}

std::string ModelRegistry::description(const std::string& name) const {
  const auto it = entries_.find(name);
  return it == entries_.end() ? "" : it->second.description;
}

void register_builtin_models(ModelRegistry& registry) {
  for (const auto& [name, spec] : resnet_variants()) {
    std::string desc = spec.multiscale ? "multi-scale ResNet (Sheng 2024): pooled stages fused by FC-ReLU-FC"
                       : spec.gate == Gate::Sarsn ? "SARSN (Huang et al. 2023): SE and self-adaptive directional threshold, dense head"
                       : spec.gate == Gate::Shrinkage ? "residual shrinkage network (Zhao et al. 2020, DRSN-CW), dense head"
                       : spec.gate == Gate::SE ? "SE-ResNe(X)t, timm definition"
                       : spec.groups > 1 ? "ResNeXt, torchvision definition"
                                         : "ResNet, torchvision definition";
    registry.add(name, [spec = spec](const ModelOptions& o) -> Classifier { return std::make_shared<ResNetImpl>(spec, o); },
                 desc);
  }
  // Luo et al.'s baselines, torchvision definitions.
  registry.add("vgg19", [](const ModelOptions& o) -> Classifier { return std::make_shared<VGGImpl>(o, 19); },
               "VGG19 (configuration E), torchvision definition");
  registry.add("vgg16", [](const ModelOptions& o) -> Classifier { return std::make_shared<VGGImpl>(o, 16); },
               "VGG16 (configuration D), torchvision definition");
  registry.add("alexnet", [](const ModelOptions& o) -> Classifier { return std::make_shared<AlexNetImpl>(o); },
               "AlexNet, torchvision definition");
  // CycleGAN's networks (Zhu et al. 2017, their public code's definitions and names).
  registry.add_network<GeneratorOptions>(
      "resnet_generator", Role::Generator,
      [](const GeneratorOptions& o) -> ModelRegistry::Module { return std::make_shared<ResnetGeneratorImpl>(o); },
      "CycleGAN's ResNet generator: 7x7 stem, 2 downsamplings, residual blocks, 2 upsamplings, tanh; instance norm");
  registry.add_network<DiscriminatorOptions>(
      "patchgan", Role::Discriminator,
      [](const DiscriminatorOptions& o) -> ModelRegistry::Module { return std::make_shared<PatchDiscriminatorImpl>(o); },
      "the 70x70 PatchGAN discriminator (3 layers), instance norm");
  // The other networks of Sheng's Table 1 and Huang et al.'s Table 6, torchvision definitions.
  registry.add("squeezenet1_1", [](const ModelOptions& o) -> Classifier { return std::make_shared<SqueezeNetImpl>(o); },
               "SqueezeNet 1.1, torchvision definition (convolutional head)");
  registry.add("densenet121", [](const ModelOptions& o) -> Classifier { return std::make_shared<DenseNetImpl>(o); },
               "DenseNet121, torchvision definition (timm's names are the same)");
  registry.add("mobilenet_v3_large", [](const ModelOptions& o) -> Classifier { return std::make_shared<MobileNetV3Impl>(o, true); },
               "MobileNetV3 large, torchvision definition");
  registry.add("mobilenet_v3_small", [](const ModelOptions& o) -> Classifier { return std::make_shared<MobileNetV3Impl>(o, false); },
               "MobileNetV3 small, torchvision definition");
  registry.add("googlenet", [](const ModelOptions& o) -> Classifier { return std::make_shared<GoogLeNetImpl>(o); },
               "GoogLeNet (Inception v1), torchvision definition; auxiliary heads kept for loading, unused");
  registry.add("inception_v3", [](const ModelOptions& o) -> Classifier { return std::make_shared<InceptionV3Impl>(o); },
               "Inception v3 (299 px, at least 75), torchvision definition; auxiliary head kept for loading, unused");
  // timm's, for Sheng's Table 1.
  registry.add("res2net50_26w_4s",
               [](const ModelOptions& o) -> Classifier { return std::make_shared<Res2NetImpl>(o, std::array<int64_t, 4>{3, 4, 6, 3}, 26, 4); },
               "Res2Net50 (26w x 4s), timm definition");
  for (const auto& [name, width] : {std::pair{"ghostnet_050", 0.5}, {"ghostnet_100", 1.0}, {"ghostnet_130", 1.3}})
    registry.add(name, [width = width](const ModelOptions& o) -> Classifier { return std::make_shared<GhostNetImpl>(o, width); },
                 "GhostNet (width " + std::to_string(width).substr(0, 3) + "), timm definition");
  registry.add("mobilenet_v2", [](const ModelOptions& o) -> Classifier { return std::make_shared<MobileNetV2Impl>(o); },
               "MobileNetV2 (width 1.0), torchvision definition");
}

ModelRegistry& model_registry() {
  static ModelRegistry registry = [] {
    ModelRegistry r;
    register_builtin_models(r);
    return r;
  }();
  return registry;
}

Classifier create_model(const ModelOptions& options) { return model_registry().create(options); }

std::vector<std::string> model_names() { return model_registry().names(); }

std::string model_description(const std::string& name) { return model_registry().description(name); }

bool model_has_width(const std::string& name) {
  const auto& v = resnet_variants();
  return std::any_of(v.begin(), v.end(), [&](const auto& entry) { return entry.first == name; });
}

std::vector<std::string> generator_names() { return model_registry().names(Role::Generator); }

std::vector<std::string> discriminator_names() { return model_registry().names(Role::Discriminator); }

}  // namespace alloyml::models
