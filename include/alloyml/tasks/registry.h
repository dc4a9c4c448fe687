#pragma once
// Task names to pipelines, the one place a task is chosen. Built-ins are registered from one
// explicit function, like the model registry.
#include <memory>
#include <string>
#include <vector>

#include "alloyml/tasks/pipeline.h"

namespace alloyml::tasks {

class PipelineRegistry {
 public:
  void add(std::unique_ptr<Pipeline> pipeline);
  /// The pipeline of a user or resolved config: its "task" (default classification), then a
  /// pipeline of that task claiming its model.name. A config naming no known task gets the
  /// default, whose schema then reports the bad key.
  const Pipeline& for_config(const config::Json& config) const;
  /// The pipeline that wrote a run directory (model.json's task and model name).
  const Pipeline& for_run(const Run& run) const;
  /// The pipeline that predicts from a bare weight file; InputError when none does.
  const Pipeline& for_weight_files() const;
  /// Distinct task names, in registration order (the values of the config key "task").
  std::vector<std::string> task_names() const;
  /// Model names that select their own pipeline within `task`.
  std::vector<std::string> claimed_models(const std::string& task) const;
  const std::vector<std::unique_ptr<Pipeline>>& all() const { return pipelines_; }

 private:
  const Pipeline& find(const std::string& task, const std::string& model) const;
  std::vector<std::unique_ptr<Pipeline>> pipelines_;
};

/// Registers classification, the classical baselines (glcm_svm, gabor_svm, ...), springback, gfa and cyclegan.
void register_builtin_pipelines(PipelineRegistry& registry);

/// The process-wide registry with the built-ins.
const PipelineRegistry& pipelines();

/// The default task of a config without "task".
inline constexpr const char* kDefaultTask = "classification";

}  // namespace alloyml::tasks
