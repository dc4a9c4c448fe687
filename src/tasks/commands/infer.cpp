// alloyml-eval and alloyml-predict: open the run, find its pipeline, hand over.
#include <algorithm>

#include "alloyml/core/error.h"
#include "alloyml/core/log.h"
#include "alloyml/core/text.h"
#include "alloyml/tasks/commands.h"
#include "alloyml/tasks/registry.h"

namespace alloyml::tasks {
namespace {

// Options given that the run's pipeline does not declare are an error naming the tasks they belong to.
void check_task_options(const Pipeline& pipeline, const PredictRequest& req, const std::string& source) {
  const auto declared = pipeline.predict_options();
  for (const auto& name : req.task_options.given()) {
    const bool ok = std::any_of(declared.begin(), declared.end(),
                                [&](const OptionSpec& s) { return option_name(s.names) == name; });
    if (ok) continue;
    std::vector<std::string> owners;
    for (const auto& p : pipelines().all())
      for (const auto& s : p->predict_options())
        if (option_name(s.names) == name && std::find(owners.begin(), owners.end(), p->task()) == owners.end())
          owners.push_back(p->task());
    throw InputError("--" + name + " applies to " + join(owners, " and ") + " runs; " + source + " is a " +
                     pipeline.task() + (source == "--weights" ? " model" : " run"));
  }
}

// The request with the defaults of the options `pipeline` declares (a caller of the library may
// give only what it sets; the apps give the defaults already).
PredictRequest with_defaults(const Pipeline& pipeline, PredictRequest req) {
  for (const auto& spec : pipeline.predict_options())
    if (!spec.default_value.empty()) req.task_options.set_default(option_name(spec.names), spec.default_value);
  return req;
}

}  // namespace

int run_eval(const EvalRequest& req) {
  init_logging(req.common.quiet);
  if (req.split != "train" && req.split != "val" && req.split != "test")
    throw InputError("--split must be train, val or test, got '" + req.split + "'");
  const Run run = run::open_run(req.run_dir);
  return pipelines().for_run(run).eval(run, req);
}

int run_predict(const PredictRequest& req) {
  init_logging(req.common.quiet);
  if (req.run_dir.empty() == (req.model.empty() || req.weights.empty()))
    throw InputError("give either --run RUN_DIR or --model NAME with --weights FILE.pth");
  if (req.run_dir.empty()) {
    if (!req.export_pth.empty()) throw InputError("--export needs --run RUN_DIR");
    const Pipeline& pipeline = pipelines().for_weight_files();
    check_task_options(pipeline, req, "--weights");
    return pipeline.predict_from_weights(with_defaults(pipeline, req));
  }
  const Run run = run::open_run(req.run_dir);
  const Pipeline& pipeline = pipelines().for_run(run);
  check_task_options(pipeline, req, req.run_dir);
  if (!req.export_pth.empty()) {
    pipeline.export_model(run, req.export_pth);
    return 0;
  }
  return pipeline.predict(run, with_defaults(pipeline, req));
}

std::vector<OptionSpec> predict_option_specs() {
  std::vector<OptionSpec> out;
  for (const auto& p : pipelines().all())
    for (const auto& s : p->predict_options())
      if (std::none_of(out.begin(), out.end(), [&](const OptionSpec& o) { return o.names == s.names; })) out.push_back(s);
  return out;
}

std::vector<CommandSpec> augment_commands() {
  std::vector<CommandSpec> out;
  for (const auto& p : pipelines().all())
    for (auto& c : p->augment_commands()) out.push_back(std::move(c));
  return out;
}

std::string list_models() {
  std::string out;
  bool first = true;
  for (const auto& p : pipelines().all()) {
    const std::string models = p->list_models();
    if (models.empty()) continue;
    // Pipelines that share a task (a model with its own training) list under one heading.
    const bool new_task = first || p->model_name().empty();
    if (new_task && !first) out += "\n" + p->title() + ":\n";
    out += models;
    first = false;
  }
  return out;
}

std::string list_config_keys() {
  std::string out;
  for (const auto& p : pipelines().all()) {
    if (!p->model_name().empty()) continue;  // shares its task's keys
    out += (out.empty() ? "" : "\n") + p->title() + ":\n" + p->schema().describe();
  }
  return out;
}

}  // namespace alloyml::tasks
