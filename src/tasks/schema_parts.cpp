#include "alloyml/tasks/schema_parts.h"

#include <algorithm>

#include "alloyml/core/error.h"
#include "alloyml/core/option_json.h"
#include "alloyml/core/text.h"
#include "alloyml/data/options.h"
#include "alloyml/eval/metric_goal.h"
#include "alloyml/models/options.h"
#include "alloyml/tasks/config.h"
#include "alloyml/tasks/registry.h"
#include "alloyml/train/options.h"

namespace alloyml::tasks {

using config::f;
using config::Field;
using config::Json;
using config::nullable;
using config::one_of;
using config::ranged;
using config::Type;

void add_common_keys(config::Schema& s) {
  const CommonOptions common;
  const train::RuntimeOptions& rt = common.runtime;
  const auto tasks = pipelines().task_names();
  s.add(ranged(f("version", Type::Int, config::kVersion, "config format version"), 1, config::kVersion));
  s.add(one_of(f("task", Type::String, kDefaultTask, "what is trained: " + join(tasks, ", ")), tasks));
  Field run_name = nullable(f("name", Type::String, nullptr, "run name (runs/NAME); default: the config file's stem"));
  run_name.check = [](const Json& v) -> std::string {  // it names a folder under runs/
    if (!v.is_string()) return "";
    const auto n = v.get<std::string>();
    if (n.empty() || n == "." || n == ".." || n.find('/') != std::string::npos || n.find('\0') != std::string::npos)
      return "the run name '" + n + "' must be a plain folder name (no '/', not '.' or '..'); choose the folder with --out";
    return "";
  };
  s.add(run_name);
  s.add(ranged(f("seed", Type::Int, static_cast<int64_t>(common.seed), "seed of weights, shuffling, augmentation and dropout"),
               0, {}));
  options::add_keys(s, "runtime.", rt);
  s.add(nullable(f("output.dir", Type::String, nullptr, "run directory; default runs/<name>")));
  s.add(f("output.report", Type::Bool, common.report, "write report.html"));
}

void add_split_keys(config::Schema& s, const std::string& val_help, const std::string& test_help,
                    const std::string& seed_help) {
  const data::SplitOptions d;
  s.add(ranged(f("data.split.val", Type::Number, d.val, val_help), 0, {}));
  s.add(ranged(f("data.split.test", Type::Number, d.test, test_help), 0, {}));
  s.add(ranged(f("data.split.seed", Type::Int, static_cast<int64_t>(d.seed), seed_help), 0, {}));
}

void add_model_keys(config::Schema& s, const models::ModelOptions& model, const std::vector<std::string>& claimed) {
  options::add_keys(s, "model.", model);
  Field& name = s.at("model.name");  // any registered or claimed name
  name.check = [claimed](const Json& v) -> std::string {
    auto names = models::model_names();
    names.insert(names.end(), claimed.begin(), claimed.end());
    const auto n = v.get<std::string>();
    if (std::find(names.begin(), names.end(), n) != names.end()) return "";
    const std::string guess = closest(n, names);
    return "unknown model '" + n + "'" + (guess.empty() ? "" : "; did you mean '" + guess + "'?") +
           " Valid names: " + join(names);
  };
}

void add_network_keys(config::Schema& s, const models::ModelOptions& model, const train::TransferOptions& transfer,
                      const train::OptimOptions& optim, const train::ScheduleOptions& schedule,
                      const train::TrainOptions& train, const std::vector<std::string>& claimed,
                      const std::vector<std::string>& monitors) {
  add_model_keys(s, model, claimed);
  options::add_keys(s, "transfer.", transfer);
  add_training_keys(s, optim, schedule, train, monitors);
}

void check_network_keys(const config::Json& resolved, const std::string& source) {
  const Json& m = resolved["model"];
  const int width = m["width"].get<int>();
  static const models::ModelOptions model_defaults;
  const int default_width = model_defaults.width;
  const std::string name = m["name"].get<std::string>();
  const auto networks = models::model_names();
  if (width == default_width || models::model_has_width(name) ||
      std::find(networks.begin(), networks.end(), name) == networks.end())
    return;
  throw InputError(source + ": key 'model.width' is " + std::to_string(width) + ", but " + name +
                   " keeps its published layout (only the ResNet families take a width); drop model.width or set "
                   "it to " + std::to_string(default_width));
}

void add_training_keys(config::Schema& s, const train::OptimOptions& o, const train::ScheduleOptions& sc,
                       const train::TrainOptions& t, const std::vector<std::string>& monitors) {
  options::add_keys(s, "optim.", o);
  options::add_keys(s, "schedule.", sc);
  options::add_keys(s, "train.", t);
  std::vector<std::string> accepted = monitors, described;
  accepted.push_back(eval::kNoMonitor);
  if (std::find(accepted.begin(), accepted.end(), t.monitor) == accepted.end())
    throw Error("schema: the default train.monitor '" + t.monitor + "' is not among the task's metrics");
  for (const auto& mon : accepted) described.push_back(eval::describe_monitor(mon));
  Field& monitor = s.at("train.monitor");  // the task's metrics
  monitor.doc = "metric for best.pt and early stopping: " + join(described);
  monitor.choices = accepted;
}

void check_input_keys(const config::Json& resolved, const std::string& source) {
  const int channels = resolved["input"]["channels"].get<int>();
  if (channels == 2) throw InputError(source + ": key 'input.channels' must be 1 or 3, got 2");
  for (const char* key : {"mean", "std"}) {
    const Json& v = resolved["input"][key];
    if (!v.is_null() && v.size() != static_cast<size_t>(channels) && v.size() != 1)
      throw InputError(source + ": key 'input." + key + "' has " + std::to_string(v.size()) +
                       " values but input.channels is " + std::to_string(channels));
  }
  if (resolved["input"]["um_per_px"].get<double>() > 0) {
    if (resolved["data"]["scale_column"].is_null())
      throw InputError(source + ": input.um_per_px resamples each image by its own scale: set data.scale_column to the "
                                "manifest column that holds it (micrometres per pixel)");
    if (resolved["input"]["resize"].get<int>() != 0)
      throw InputError(source + ": input.um_per_px sets each image's size by its scale; leave input.resize 0");
  }
}

}  // namespace alloyml::tasks
