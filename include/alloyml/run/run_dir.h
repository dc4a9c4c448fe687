#pragma once
// The run directory contract (DESIGN.md), in one module: where each file lives (RunPaths), how a
// trained run is opened (open_run), and model.json. Sibling headers hold the other files' one
// writer each: split_file.h (split.csv), metrics_log.h (metrics.jsonl), summary.h (summary.json),
// report_page.h (report.html). Every file is written atomically (core/fs.h).
#include <string>
#include <vector>

#include "alloyml/core/config.h"

namespace alloyml::run {

struct RunPaths {
  std::string dir;
  std::string config() const { return dir + "/config.json"; }
  std::string model() const { return dir + "/model.json"; }
  std::string checkpoints() const { return dir + "/checkpoints"; }
  std::string last() const { return dir + "/checkpoints/last.pt"; }
  std::string best() const { return dir + "/checkpoints/best.pt"; }
  std::string metrics() const { return dir + "/metrics.jsonl"; }
  std::string summary() const { return dir + "/summary.json"; }
  std::string report() const { return dir + "/report.html"; }
  std::string log() const { return dir + "/train.log"; }
  std::string split() const { return dir + "/split.csv"; }
};

/// A trained run as eval and predict need it.
struct Run {
  RunPaths paths;
  config::Json config;   ///< the resolved config
  config::Json model;    ///< model.json
  std::vector<std::string> class_names;  ///< empty for regression runs
  /// The task that wrote the run (model.json "task", else the config's).
  std::string task() const;
  /// The checkpoint to use: best.pt, else last.pt. InputError when neither exists.
  std::string checkpoint() const;
};

/// Opens RUN_DIR; a missing or incomplete directory is an InputError naming what is missing.
Run open_run(const std::string& dir);

/// Writes model.json: `body` (what the task needs to rebuild its model) with "version" and "task"
/// set, atomically.
void write_model_json(const RunPaths& paths, const std::string& task, config::Json body);

}  // namespace alloyml::run
