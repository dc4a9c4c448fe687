#pragma once
// The run directory contract (DESIGN.md): config.json, model.json, checkpoints/, metrics.jsonl,
// summary.json, report.html, train.log, and split.csv (which image went where).
#include <string>
#include <vector>

#include "alloyml/core/config.h"
#include "alloyml/data/image_set.h"
#include "alloyml/data/split.h"

namespace alloyml::tasks {

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
  std::vector<std::string> class_names;
  /// The checkpoint to use: best.pt, else last.pt. InputError when neither exists.
  std::string checkpoint() const;
};

/// Opens RUN_DIR; a missing or incomplete directory is an InputError naming what is missing.
Run open_run(const std::string& dir);

/// Writes split.csv: path,label,split for every sample.
void write_split(const std::string& path, const data::ImageSet& set, const data::Split& split);

/// Reads split.csv back into a set (class names given) and its split.
void read_split(const std::string& path, const std::vector<std::string>& class_names, data::ImageSet& set,
                data::Split& split);

}  // namespace alloyml::tasks
