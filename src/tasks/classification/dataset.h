#pragma once
// The images of a classification run: found from the data options and split, logged, and kept
// in the run's split.csv so a resumed run, eval and predict see the same samples.
#include <string>
#include <vector>

#include "alloyml/data/image_set.h"
#include "alloyml/data/options.h"
#include "alloyml/data/split.h"

namespace alloyml::tasks {

/// The images of `d` and their split: one source split by d.split, or explicit sources.
void build_dataset(const data::DataOptions& d, data::ImageSet& set, data::Split& split);

/// A run's images and split: read back from split.csv when resuming a run that has one, else
/// built from `d` and written there; then logged.
void load_or_build_dataset(const data::DataOptions& d, const std::string& split_csv, const std::string& model_json,
                           bool resume, data::ImageSet& set, data::Split& split);

/// Each image's scale (data.scale_column) from the run's CSV sources (data.root, train, val,
/// test), for a set read back from split.csv; nothing without a scale column.
void attach_manifest_scales(const data::DataOptions& d, data::ImageSet& set);

/// Logs the counts per class and part.
void log_split(const data::ImageSet& set, const data::Split& split);

/// Writes split.csv: every sample's absolute path, label and part, in sample order; the samples
/// in `unreadable` (found so while training) with the split "skipped".
void write_image_split(const std::string& path, const data::ImageSet& set, const data::Split& split,
                       const std::vector<size_t>& unreadable = {});

/// The images found unreadable while training, recorded: marked "skipped" in split.csv (rewritten
/// by the main worker when there are any). Returns their paths for summary.json, names that are
/// not UTF-8 escaped (core/text.h).
std::vector<std::string> record_unreadable(const std::string& split_csv, const data::ImageSet& set,
                                           const data::Split& split, const std::vector<size_t>& unreadable);

/// Reads split.csv (any format run/split_file.h reads) back into a set and its split; a "skipped"
/// sample keeps its index and is in no part.
/// InputError naming the file and line for a label not in `class_names`.
void read_image_split(const std::string& path, const std::vector<std::string>& class_names, data::ImageSet& set,
                      data::Split& split);

}  // namespace alloyml::tasks
