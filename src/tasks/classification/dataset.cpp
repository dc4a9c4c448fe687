#include "dataset.h"

#include <algorithm>
#include <array>
#include <filesystem>

#include <spdlog/spdlog.h>

#include "alloyml/core/config.h"
#include "alloyml/core/error.h"
#include "alloyml/core/text.h"
#include "alloyml/dist/group.h"
#include "alloyml/run/split_file.h"

namespace fs = std::filesystem;

namespace alloyml::tasks {
namespace {

// Appends `part` (found with the train set's class list) to `set` and returns its indices.
std::vector<size_t> append(data::ImageSet& set, const data::ImageSet& part) {
  std::vector<size_t> idx;
  for (const auto& s : part.samples) {
    idx.push_back(set.samples.size());
    set.samples.push_back(s);
  }
  return idx;
}

}  // namespace

void build_dataset(const data::DataOptions& d, data::ImageSet& set, data::Split& split) {
  if (d.train.empty()) {
    set = data::discover_images(d.root, d);
    split = data::stratified_split(set, d.split, data::split_groups(set, d.split.group_by));
    return;
  }
  data::ImageSet train = data::discover_images(d.train, d);
  set = data::ImageSet{};
  set.class_names = train.class_names;
  set.source = d.train;
  if (d.val.empty()) {
    // Carve validation out of the explicit training source.
    data::SplitOptions carve = d.split;
    carve.test = 0;
    const auto s = data::stratified_split(train, carve, data::split_groups(train, d.split.group_by));
    for (auto [from, to] : {std::pair{&s.train, &split.train}, std::pair{&s.val, &split.val}})
      for (size_t i : *from) {
        to->push_back(set.samples.size());
        set.samples.push_back(train.samples[i]);
      }
  } else {
    split.train = append(set, train);
    split.val = append(set, data::discover_images(d.val, d, set.class_names));
  }
  if (!d.test.empty()) split.test = append(set, data::discover_images(d.test, d, set.class_names));
}

void log_split(const data::ImageSet& set, const data::Split& split) {
  std::vector<std::array<int, 3>> per(set.class_names.size(), {0, 0, 0});
  const std::vector<size_t>* parts[] = {&split.train, &split.val, &split.test};
  for (int p = 0; p < 3; ++p)
    for (size_t i : *parts[p]) ++per[static_cast<size_t>(set.samples[i].label)][static_cast<size_t>(p)];
  spdlog::info("data: {} images in {} classes; train {}, val {}, test {}", set.samples.size(), set.class_names.size(),
               split.train.size(), split.val.size(), split.test.size());
  for (size_t c = 0; c < per.size(); ++c)
    spdlog::info("  {:<20} train {:>5}  val {:>5}  test {:>5}", set.class_names[c], per[c][0], per[c][1], per[c][2]);
}


void attach_manifest_scales(const data::DataOptions& d, data::ImageSet& set) {
  if (d.scale_column.empty()) return;
  for (const std::string* source : {&d.root, &d.train, &d.val, &d.test}) {
    std::error_code ec;
    if (!source->empty() && fs::is_regular_file(*source, ec)) data::read_scales(set, *source, d.scale_column);
  }
}

void load_or_build_dataset(const data::DataOptions& d, const std::string& split_csv, const std::string& model_json,
                           bool resume, data::ImageSet& set, data::Split& split) {
  if (resume && fs::exists(split_csv) && fs::exists(model_json)) {
    const auto model = config::load_json_file(model_json);
    read_image_split(split_csv, model["class_names"].get<std::vector<std::string>>(), set, split);
    attach_manifest_scales(d, set);
  } else {
    build_dataset(d, set, split);
    if (dist::is_main()) write_image_split(split_csv, set, split);
  }
  log_split(set, split);
}

void write_image_split(const std::string& path, const data::ImageSet& set, const data::Split& split,
                       const std::vector<size_t>& unreadable) {
  auto part = run::split_names(set.samples.size(), split.train, split.val, split.test);
  for (size_t i : unreadable) part.at(i) = run::kSkippedSplit;
  std::vector<run::SplitEntry> entries;
  entries.reserve(set.samples.size());
  for (size_t i = 0; i < set.samples.size(); ++i) {
    run::SplitEntry e;
    e.source = fs::absolute(set.samples[i].path).string();
    e.label = set.class_names[static_cast<size_t>(set.samples[i].label)];
    e.split = part[i];
    entries.push_back(std::move(e));
  }
  run::write_split_file(path, entries);
}

std::vector<std::string> record_unreadable(const std::string& split_csv, const data::ImageSet& set,
                                           const data::Split& split, const std::vector<size_t>& unreadable) {
  if (!unreadable.empty() && dist::is_main()) write_image_split(split_csv, set, split, unreadable);
  std::vector<std::string> shown;
  for (size_t i : unreadable) shown.push_back(escape_non_utf8(set.samples.at(i).path));
  return shown;
}

void read_image_split(const std::string& path, const std::vector<std::string>& class_names, data::ImageSet& set,
                      data::Split& split) {
  set = data::ImageSet{};
  set.class_names = class_names;
  set.source = path;
  split = data::Split{};
  for (const auto& e : run::read_split_file(path)) {
    const auto it = std::find(class_names.begin(), class_names.end(), e.label);
    if (it == class_names.end()) throw InputError(e.where + ": unknown label '" + e.label + "'");
    const size_t idx = set.samples.size();
    set.samples.push_back({e.source, static_cast<int>(it - class_names.begin())});
    if (e.split == run::kSkippedSplit) continue;
    (e.split == "train" ? split.train : e.split == "val" ? split.val : split.test).push_back(idx);
  }
}

}  // namespace alloyml::tasks
