#include "alloyml/tasks/run_dir.h"

#include <filesystem>
#include <fstream>

#include "alloyml/core/csv.h"
#include "alloyml/core/error.h"
#include "alloyml/core/fs.h"

namespace fs = std::filesystem;

namespace alloyml::tasks {

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
  if (!run.model.contains("class_names") || !run.model["class_names"].is_array())
    throw InputError(run.paths.model() + ": no class_names");
  run.class_names = run.model["class_names"].get<std::vector<std::string>>();
  return run;
}

void write_split(const std::string& path, const data::ImageSet& set, const data::Split& split) {
  // Rows in sample order, so read_split restores the same indices (augmentation and
  // shuffling are keyed by them, and a resumed run must see the same batches).
  std::vector<const char*> part(set.samples.size(), nullptr);
  for (size_t i : split.train) part[i] = "train";
  for (size_t i : split.val) part[i] = "val";
  for (size_t i : split.test) part[i] = "test";
  std::string text = "path,label,split\n";
  for (size_t i = 0; i < set.samples.size(); ++i) {
    if (!part[i]) continue;
    text += csv_escape(fs::absolute(set.samples[i].path).string()) + "," +
            csv_escape(set.class_names[static_cast<size_t>(set.samples[i].label)]) + "," + part[i] + "\n";
  }
  write_text_atomically(path, text);
}

void read_split(const std::string& path, const std::vector<std::string>& class_names, data::ImageSet& set,
                data::Split& split) {
  const CsvTable t = read_csv(path);
  const size_t pc = t.column("path"), lc = t.column("label"), sc = t.column("split");
  set = data::ImageSet{};
  set.class_names = class_names;
  set.source = path;
  split = data::Split{};
  for (size_t r = 0; r < t.rows.size(); ++r) {
    const auto& row = t.rows[r];
    const std::string where = path + ":" + std::to_string(t.line_numbers[r]);
    if (row.size() <= std::max({pc, lc, sc})) throw InputError(where + ": row has too few columns");
    const auto it = std::find(class_names.begin(), class_names.end(), row[lc]);
    if (it == class_names.end()) throw InputError(where + ": unknown label '" + row[lc] + "'");
    const size_t idx = set.samples.size();
    set.samples.push_back({row[pc], static_cast<int>(it - class_names.begin())});
    if (row[sc] == "train") split.train.push_back(idx);
    else if (row[sc] == "val") split.val.push_back(idx);
    else if (row[sc] == "test") split.test.push_back(idx);
    else throw InputError(where + ": unknown split '" + row[sc] + "'");
  }
}

}  // namespace alloyml::tasks
