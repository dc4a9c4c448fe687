#include "alloyml/tasks/config.h"

#include <algorithm>
#include <filesystem>

#include "alloyml/core/error.h"
#include "alloyml/core/option_json.h"
#include "alloyml/core/text.h"
#include "alloyml/eval/metric_goal.h"
#include "alloyml/tasks/registry.h"

namespace alloyml::tasks {
namespace {

using config::Json;

std::vector<double> numbers(const Json& v) { return v.get<std::vector<double>>(); }

}  // namespace

config::Json resolve_config(const config::Json& user, const std::string& source) {
  const Pipeline& pipeline = pipelines().for_config(user);
  Json resolved = pipeline.schema().resolve(user, source);
  pipeline.check(resolved, source);
  return resolved;
}

config::Json load_user_config(const std::string& path) { return config::load_config_chain(path); }

config::Json load_config(const std::string& path, const std::vector<std::string>& overrides) {
  Json user = load_user_config(path);
  for (const auto& o : overrides) config::apply_override(user, o);
  return resolve_config(user, path);
}

data::TransformOptions transform_options(const Json& input, const Json& augment) {
  const data::TransformOptions defaults;
  data::TransformOptions t = options::read_keys(input, "input", defaults, [](auto& v, auto& o) { data::visit_input_keys(v, o); });
  t = options::read_keys(augment, "augment", t, [](auto& v, auto& o) { data::visit_augment_keys(v, o); });
  // The struct's statistics (ImageNet's) by default; for one channel their average.
  auto pick = [&](const Json& v, const std::vector<double>& def3) {
    std::vector<double> out = v.is_null() ? def3 : numbers(v);
    if (v.is_null() && t.channels == 1) out = {(def3[0] + def3[1] + def3[2]) / 3};
    if (out.size() == 1) out.assign(static_cast<size_t>(t.channels), out[0]);
    return out;
  };
  t.mean = pick(input.value("mean", Json()), defaults.mean);
  t.std = pick(input.value("std", Json()), defaults.std);
  return t;
}

std::string text_or(const Json& v, const std::string& fallback) { return v.is_null() ? fallback : v.get<std::string>(); }

CommonOptions common_options(const Json& c) {
  CommonOptions o;
  o.name = text_or(c["name"]);
  o.seed = c["seed"];
  o.report = c["output"]["report"];
  o.runtime = runtime_options(c["runtime"]);
  return o;
}

data::SplitOptions split_options(const Json& s) {
  data::SplitOptions o;
  o.val = s["val"];
  o.test = s["test"];
  o.seed = s["seed"];
  o.by = s.value("by", o.by);
  if (s.contains("group_by") && s["group_by"].is_string()) o.group_by = s["group_by"];
  return o;
}

data::DataOptions data_options(const Json& resolved) {
  data::DataOptions o = options::read_keys<data::DataOptions>(resolved["data"], "data");
  o.split = split_options(resolved["data"]["split"]);
  o.transform = transform_options(resolved["input"], resolved["augment"]);
  return o;
}

models::ModelOptions model_options(const Json& m, const std::string& where) {
  // A run's model.json holds the keys of the version that trained it: a key added since takes its
  // default (what that version did), so older runs still evaluate and predict.
  if (!m.is_object() || !m.contains("name") || !m["name"].is_string())
    throw InputError(where + ": no model name under 'model' (damaged?)");
  static const models::ModelOptions defaults;
  try {
    return options::read_keys(m, "model", defaults, models::VisitAllModelKeys{});
  } catch (const InputError& e) {
    throw InputError(where + ": " + e.what());
  }
}

models::ModelOptions model_options(const run::Run& run) {
  static const Json none;
  return model_options(run.model.contains("model") ? run.model["model"] : none, run.paths.model());
}

train::TransferOptions transfer_options(const Json& s) { return options::read_keys<train::TransferOptions>(s, "transfer"); }

Json to_json(const models::ModelOptions& o) { return options::write_keys(o, models::VisitAllModelKeys{}); }

train::OptimOptions optim_options(const Json& s) { return options::read_keys<train::OptimOptions>(s, "optim"); }

train::ScheduleOptions schedule_options(const Json& s) { return options::read_keys<train::ScheduleOptions>(s, "schedule"); }

train::LossOptions loss_options(const Json& s) { return options::read_keys<train::LossOptions>(s, "loss"); }

train::TrainOptions train_options(const Json& s) {
  train::TrainOptions o = options::read_keys(s, "train", train::TrainOptions{}, [](auto& v, auto& t) {
    visit_keys(v, t);
    train::visit_image_train_keys(v, t);  // where the task has them
  });
  o.monitor_mode = eval::monitor_mode(o.monitor, o.monitor_mode);
  return o;
}

train::RuntimeOptions runtime_options(const Json& s) { return options::read_keys<train::RuntimeOptions>(s, "runtime"); }

}  // namespace alloyml::tasks
