#pragma once
// Model names to builders. Built-ins are registered from one explicit function
// (static self-registration objects get dropped by the linker).
#include <any>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <typeindex>
#include <vector>

#include "alloyml/models/classifier.h"
#include "alloyml/models/options.h"

namespace alloyml::models {

/// What a network is for. Classifiers (and regressors: a classifier with one output) share
/// ModelOptions; a family of another role brings its own options struct.
enum class Role { Classifier, Generator, Discriminator };

/// "classifier", "generator" or "discriminator".
const char* role_name(Role role);

class ModelRegistry {
 public:
  using Builder = std::function<Classifier(const ModelOptions&)>;
  using Module = std::shared_ptr<torch::nn::Module>;

  /// A classifier family.
  void add(const std::string& name, Builder builder, std::string description);
  /// A family of another role built from its own options struct (a CycleGAN's ResNet generator
  /// from GeneratorOptions, its PatchGAN from DiscriminatorOptions).
  template <class Options>
  void add_network(const std::string& name, Role role, std::function<Module(const Options&)> build,
                   std::string description) {
    Entry e;
    e.role = role;
    e.options_type = std::type_index(typeid(Options));
    e.network = [build = std::move(build)](const std::any& o) { return build(std::any_cast<const Options&>(o)); };
    e.description = std::move(description);
    entries_[name] = std::move(e);
  }

  /// Builds the classifier `options.name`; an unknown name throws InputError listing the valid ones.
  Classifier create(const ModelOptions& options) const;
  /// Builds the network `name` of `role` from its family's options. InputError for a name that is
  /// not a network of that role (the valid ones listed) or options of another family.
  template <class Options>
  Module create_network(const std::string& name, Role role, const Options& options) const {
    const Entry& e = entry(name, role);
    if (!e.network || e.options_type != std::type_index(typeid(Options))) throw_options_mismatch(name);
    return e.network(std::any(options));
  }
  bool contains(const std::string& name) const { return entries_.count(name) > 0; }
  /// Names of the networks of `role`, sorted.
  std::vector<std::string> names(Role role = Role::Classifier) const;
  std::string description(const std::string& name) const;

 private:
  struct Entry {
    Role role = Role::Classifier;
    Builder builder;                                    ///< classifiers
    std::function<Module(const std::any&)> network;     ///< other roles
    std::type_index options_type = std::type_index(typeid(ModelOptions));
    std::string description;
  };
  const Entry& entry(const std::string& name, Role role) const;
  [[noreturn]] static void throw_options_mismatch(const std::string& name);
  std::map<std::string, Entry> entries_;
};

/// Registers the ResNet family and the other built-in models.
void register_builtin_models(ModelRegistry& registry);

/// The process-wide registry with the built-ins.
ModelRegistry& model_registry();

/// Shorthand for model_registry().create(options).
Classifier create_model(const ModelOptions& options);

}  // namespace alloyml::models
