#include "alloyml/run/run_dir.h"

#include <filesystem>

#include "alloyml/core/error.h"

namespace fs = std::filesystem;

namespace alloyml::run {

std::string Run::task() const {
  if (model.contains("task") && model["task"].is_string()) return model["task"];
  return config.value("task", std::string("classification"));
}

std::string Run::checkpoint() const {
  if (fs::exists(paths.best())) return paths.best();
  if (fs::exists(paths.last())) return paths.last();
  throw InputError(paths.dir + ": no checkpoint (checkpoints/best.pt or last.pt); has the run trained an epoch?");
}

Run open_run(const std::string& dir) {
  if (!fs::is_directory(dir)) throw InputError(dir + ": no such run directory");
  Run run;
  run.paths.dir = dir;
  for (const auto& p : {run.paths.config(), run.paths.model()})
    if (!fs::exists(p)) throw InputError(dir + ": not a run directory (" + fs::path(p).filename().string() + " is missing)");
  run.config = config::load_json_file(run.paths.config());
  run.model = config::load_json_file(run.paths.model());
  if (!run.config.is_object()) throw InputError(run.paths.config() + ": not a JSON object");
  if (!run.model.is_object()) throw InputError(run.paths.model() + ": not a JSON object");
  if (run.model.contains("class_names")) {
    if (!run.model["class_names"].is_array()) throw InputError(run.paths.model() + ": class_names is not a list");
    run.class_names = run.model["class_names"].get<std::vector<std::string>>();
  }
  return run;
}

void write_model_json(const RunPaths& paths, const std::string& task, config::Json body) {
  body["version"] = config::kVersion;
  body["task"] = task;
  config::write_json_file(paths.model(), body);
}

}  // namespace alloyml::run
