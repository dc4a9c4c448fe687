#include "alloyml/tasks/registry.h"

#include <algorithm>

#include "alloyml/core/error.h"

namespace alloyml::tasks {
namespace {

std::string string_at(const config::Json& j, const char* a, const char* b = nullptr) {
  if (!j.is_object() || !j.contains(a)) return "";
  const config::Json* v = &j[a];
  if (b) {
    if (!v->is_object() || !v->contains(b)) return "";
    v = &(*v)[b];
  }
  return v->is_string() ? v->get<std::string>() : "";
}

}  // namespace

const PipelineRegistry& pipelines() {
  static const PipelineRegistry registry = [] {
    PipelineRegistry r;
    register_builtin_pipelines(r);
    return r;
  }();
  return registry;
}

void PipelineRegistry::add(std::unique_ptr<Pipeline> pipeline) { pipelines_.push_back(std::move(pipeline)); }

const Pipeline& PipelineRegistry::find(const std::string& task, const std::string& model) const {
  const Pipeline* general = nullptr;
  for (const auto& p : pipelines_) {
    if (p->task() != task) continue;
    if (!model.empty() && p->model_name() == model) return *p;
    if (p->model_name().empty() && !general) general = p.get();
  }
  if (general) return *general;
  if (task != kDefaultTask) return find(kDefaultTask, "");
  throw Error("no pipeline is registered for the task '" + task + "'");
}

const Pipeline& PipelineRegistry::for_config(const config::Json& c) const {
  const std::string task = string_at(c, "task");
  return find(task.empty() ? kDefaultTask : task, string_at(c, "model", "name"));
}

const Pipeline& PipelineRegistry::for_run(const Run& run) const {
  std::string model = string_at(run.model, "model", "name");
  if (model.empty()) model = string_at(run.model, "arch");
  return find(run.task(), model);
}

const Pipeline& PipelineRegistry::for_weight_files() const {
  for (const auto& p : pipelines_)
    if (p->predicts_from_weight_files()) return *p;
  throw InputError("no task predicts from a bare weight file; use --run RUN_DIR");
}

std::vector<std::string> PipelineRegistry::task_names() const {
  std::vector<std::string> names;
  for (const auto& p : pipelines_)
    if (std::find(names.begin(), names.end(), p->task()) == names.end()) names.push_back(p->task());
  return names;
}

std::vector<std::string> PipelineRegistry::claimed_models(const std::string& task) const {
  std::vector<std::string> names;
  for (const auto& p : pipelines_)
    if (p->task() == task && !p->model_name().empty()) names.push_back(p->model_name());
  return names;
}

}  // namespace alloyml::tasks
