#pragma once
// Model names to builders. Built-ins are registered from one explicit function
// (static self-registration objects get dropped by the linker).
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "alloyml/models/classifier.h"
#include "alloyml/models/options.h"

namespace alloyml::models {

class ModelRegistry {
 public:
  using Builder = std::function<Classifier(const ModelOptions&)>;

  void add(const std::string& name, Builder builder, std::string description);
  /// Builds `options.name`; an unknown name throws InputError listing the valid ones.
  Classifier create(const ModelOptions& options) const;
  bool contains(const std::string& name) const { return entries_.count(name) > 0; }
  std::vector<std::string> names() const;
  std::string description(const std::string& name) const;

 private:
  struct Entry {
    Builder builder;
    std::string description;
  };
  std::map<std::string, Entry> entries_;
};

/// Registers the ResNet family and the other built-in models.
void register_builtin_models(ModelRegistry& registry);

/// The process-wide registry with the built-ins.
ModelRegistry& model_registry();

/// Shorthand for model_registry().create(options).
Classifier create_model(const ModelOptions& options);

}  // namespace alloyml::models
