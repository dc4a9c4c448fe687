#include "alloyml/data/image_set.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <regex>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <set>

#include <spdlog/spdlog.h>

#include "alloyml/core/csv.h"
#include "alloyml/core/error.h"
#include "alloyml/core/text.h"
#include "alloyml/core/fs.h"

namespace fs = std::filesystem;

namespace alloyml::data {
namespace {

std::vector<std::string> images_in(const fs::path& dir, bool recursive) {
  std::vector<std::string> files;
  std::error_code ec;
  auto add = [&](const fs::directory_entry& e) {
    std::error_code ignored;  // a dangling link is no image
    if (e.is_regular_file(ignored) && is_image_file(e.path().string())) files.push_back(e.path().string());
  };
  // One walk for both: `recursive` descends into subfolders, links followed, but a folder reached
  // twice (a symlink loop, or two links to one folder) is read once and the repeat skipped with a
  // warning, and so is a link to a folder that encloses `dir` (reading it would read `dir` again,
  // and label its neighbours' images).
  std::set<std::pair<uintmax_t, uintmax_t>> seen;  // (device, inode) of folders read or enclosing
  for (fs::path up = fs::absolute(dir).parent_path(); recursive; up = up.parent_path()) {
    struct stat st {};
    if (::stat(up.c_str(), &st) == 0) seen.emplace(st.st_dev, st.st_ino);
    if (up == up.parent_path()) break;
  }
  std::vector<fs::path> pending{dir};
  while (!pending.empty()) {
    const fs::path d = pending.back();
    pending.pop_back();
    struct stat st {};
    if (::stat(d.c_str(), &st) != 0) {
      if (d == dir) throw InputError(dir.string() + ": cannot read folder (" + std::strerror(errno) + ")");
      spdlog::warn("skipping folder {}: {}", d.string(), std::strerror(errno));
      continue;
    }
    if (!seen.emplace(st.st_dev, st.st_ino).second) {
      spdlog::warn("skipping {}: a folder already read, or one enclosing {} (a symbolic link loop?)", d.string(),
                   dir.string());
      continue;
    }
    for (const auto& e : fs::directory_iterator(d, ec)) {
      std::error_code ignored;
      if (e.is_directory(ignored)) {
        if (recursive) pending.push_back(e.path());
      } else {
        add(e);
      }
    }
    if (ec) {
      if (d == dir) throw InputError(dir.string() + ": cannot read folder (" + ec.message() + ")");
      spdlog::warn("skipping folder {}: {}", d.string(), ec.message());
      ec.clear();
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<fs::path> subfolders(const fs::path& dir) {
  std::vector<fs::path> dirs;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    std::error_code ignored;  // a link that loops or dangles is no class folder
    if (e.is_directory(ignored) && e.path().filename().string()[0] != '.') dirs.push_back(e.path());
  }
  if (ec) throw InputError(dir.string() + ": cannot read folder (" + ec.message() + ")");
  std::sort(dirs.begin(), dirs.end());
  return dirs;
}

// Maps label names to indices: the known list when given, else sorted discovery order.
class LabelIndex {
 public:
  LabelIndex(const std::vector<std::string>& known, const std::string& source) : known_(known), source_(source) {}

  void add(const std::string& name) {
    if (known_.empty()) names_.insert(name);
  }
  std::vector<std::string> names() const {
    return known_.empty() ? std::vector<std::string>(names_.begin(), names_.end()) : known_;
  }
  int index(const std::string& name, const std::string& where) const {
    const auto all = names();
    const auto it = std::find(all.begin(), all.end(), name);
    if (it == all.end()) {
      std::string list;
      for (const auto& n : all) list += (list.empty() ? "" : ", ") + n;
      throw InputError(where + ": label '" + name + "' is not one of the model's classes (" + list + ")");
    }
    return static_cast<int>(it - all.begin());
  }

 private:
  std::vector<std::string> known_;
  std::set<std::string> names_;
  std::string source_;
};

ImageSet from_folders(const fs::path& dir, const std::vector<std::string>& known) {
  ImageSet set;
  set.source = dir.string();
  LabelIndex labels(known, set.source);
  std::vector<std::pair<std::string, std::vector<std::string>>> classes;
  for (const auto& sub : subfolders(dir)) {
    auto files = images_in(sub, true);
    if (files.empty()) throw InputError(sub.string() + ": class folder has no images (empty class)");
    labels.add(sub.filename().string());
    classes.emplace_back(sub.filename().string(), std::move(files));
  }
  set.class_names = labels.names();
  for (const auto& [name, files] : classes) {
    const int label = labels.index(name, dir.string() + "/" + name);
    for (const auto& f : files) set.samples.push_back({f, label});
  }
  return set;
}

ImageSet from_flat(const fs::path& dir, const std::string& pattern, const std::vector<std::string>& known) {
  ImageSet set;
  set.source = dir.string();
  std::regex re;
  try {
    re = std::regex(pattern);
  } catch (const std::regex_error& e) {
    throw InputError("data.label_pattern '" + pattern + "' is not a valid regex (" + e.what() + ")");
  }
  LabelIndex labels(known, set.source);
  std::vector<std::pair<std::string, std::string>> found;
  for (const auto& f : images_in(dir, false)) {
    const std::string stem = fs::path(f).stem().string();
    std::smatch m;
    if (!std::regex_match(stem, m, re) || m.size() < 2 || m[1].str().empty())
      throw InputError(f + ": file name does not match data.label_pattern '" + pattern + "' (no label)");
    labels.add(m[1].str());
    found.emplace_back(f, m[1].str());
  }
  set.class_names = labels.names();
  for (const auto& [f, name] : found) set.samples.push_back({f, labels.index(name, f)});
  return set;
}

ImageSet from_manifest(const fs::path& csv, const std::vector<std::string>& known) {
  const CsvTable table = read_csv(csv.string());
  const size_t path_col = table.column("path");
  const size_t label_col = table.column("label");
  ImageSet set;
  set.source = csv.string();
  LabelIndex labels(known, set.source);
  std::vector<std::pair<std::string, std::string>> found;
  const fs::path base = csv.parent_path();
  for (size_t r = 0; r < table.rows.size(); ++r) {
    const auto& row = table.rows[r];
    const std::string where = csv.string() + ":" + std::to_string(table.line_numbers[r]);
    if (row.size() <= std::max(path_col, label_col)) throw InputError(where + ": row has too few columns");
    fs::path p(row[path_col]);
    if (p.is_relative()) p = base / p;
    std::error_code ec;  // a path too long or looping is this row's error, not the library's
    if (!fs::is_regular_file(p, ec)) {
      const std::string& shown = row[path_col];
      throw InputError(where + ": image '" + shorten(shown, 200) + "' " +
                       (ec && ec != std::errc::no_such_file_or_directory ? "cannot be read (" + ec.message() + ")"
                                                                          : "does not exist"));
    }
    if (row[label_col].empty()) throw InputError(where + ": empty label");
    labels.add(row[label_col]);
    found.emplace_back(p.string(), row[label_col]);
  }
  if (found.empty()) throw InputError(csv.string() + ": manifest lists no images");
  set.class_names = labels.names();
  for (size_t i = 0; i < found.size(); ++i) {
    const std::string where = csv.string() + ":" + std::to_string(table.line_numbers[i]);
    set.samples.push_back({found[i].first, labels.index(found[i].second, where)});
  }
  return set;
}

}  // namespace

ImageSet discover_images(const std::string& source, const DataOptions& options,
                         const std::vector<std::string>& known_classes) {
  const fs::path p(source);
  std::error_code ec;
  if (!fs::exists(p, ec)) throw InputError(source + ": " + (ec ? ec.message() : "no such file or folder"));
  std::string layout = options.layout;
  if (layout == "auto") {
    if (fs::is_regular_file(p))
      layout = "manifest";
    else
      layout = subfolders(p).empty() ? "flat" : "folders";
  }
  ImageSet set;
  if (layout == "manifest") {
    if (!fs::is_regular_file(p)) throw InputError(source + ": a manifest must be a CSV file");
    set = from_manifest(p, known_classes);
  } else {
    if (!fs::is_directory(p)) throw InputError(source + ": not a folder");
    set = layout == "folders" ? from_folders(p, known_classes) : from_flat(p, options.label_pattern, known_classes);
  }
  if (set.samples.empty()) throw InputError(source + ": no images found (looked for .jpg .png .bmp .tif ...)");
  if (known_classes.empty() && set.class_names.size() < 2)
    throw InputError(source + ": found only one class ('" + set.class_names[0] + "'); need at least two");
  if (!options.scale_column.empty()) {
    if (layout != "manifest")
      throw InputError(source + ": data.scale_column '" + options.scale_column +
                       "' reads each image's scale from a CSV manifest, and this is a folder");
    read_scales(set, source, options.scale_column);
  }
  return set;
}

void read_scales(ImageSet& set, const std::string& csv, const std::string& column) {
  const CsvTable table = read_csv(csv);
  if (std::find(table.header.begin(), table.header.end(), column) == table.header.end())
    throw InputError(csv + ": no column '" + column + "' (the scale column, data.scale_column)");
  const size_t col = table.column(column);
  const size_t path_col = std::find(table.header.begin(), table.header.end(), "path") != table.header.end()
                              ? table.column("path")
                              : 0;
  const fs::path base = fs::path(csv).parent_path();
  std::map<std::string, double> scale_of;
  for (size_t r = 0; r < table.rows.size(); ++r) {
    const auto& row = table.rows[r];
    if (row.size() <= path_col || row[path_col].empty()) continue;
    fs::path f(row[path_col]);
    if (f.is_relative()) f = base / f;
    const std::string where = csv + ":" + std::to_string(table.line_numbers[r]);
    const std::string v = row.size() > col ? row[col] : "";
    double x = 0;
    try {
      size_t used = 0;
      x = std::stod(v, &used);
      if (used != v.size()) x = NAN;
    } catch (const std::exception&) {
      x = NAN;
    }
    if (v.empty()) throw InputError(where + ": '" + shorten(row[path_col], 200) + "' has no " + column + " (its scale)");
    if (!(x > 0) || !std::isfinite(x))
      throw InputError(where + ": " + column + " is '" + shorten(v, 40) + "', not a positive number of micrometres per pixel");
    scale_of[fs::absolute(f).lexically_normal().string()] = x;
  }
  for (auto& s : set.samples) {
    const auto it = scale_of.find(fs::absolute(s.path).lexically_normal().string());
    if (it != scale_of.end()) s.um_per_px = it->second;
  }
}

void require_scales(const ImageSet& set, const std::string& what) {
  for (const auto& s : set.samples)
    if (!(s.um_per_px > 0)) throw InputError(s.path + ": no scale (" + what + "); input.um_per_px resamples by it");
}

std::vector<std::string> list_images(const std::string& path) {
  const fs::path p(path);
  std::error_code ec;
  if (!fs::exists(p, ec)) throw InputError(path + ": " + (ec ? ec.message() : "no such file or folder"));
  if (fs::is_directory(p, ec)) {
    auto files = images_in(p, true);
    if (files.empty()) throw InputError(path + ": folder has no images");
    return files;
  }
  if (lower_extension(path) == ".csv") {
    const CsvTable table = read_csv(path);
    const size_t col = std::find(table.header.begin(), table.header.end(), "path") != table.header.end()
                           ? table.column("path")
                           : 0;
    std::vector<std::string> files;
    for (const auto& row : table.rows) {
      if (row.size() <= col || row[col].empty()) continue;
      fs::path f(row[col]);
      if (f.is_relative()) f = p.parent_path() / f;
      files.push_back(f.string());
    }
    if (files.empty()) throw InputError(path + ": lists no images");
    return files;
  }
  return {path};
}

std::vector<int> class_counts(const ImageSet& set) {
  std::vector<int> counts(set.class_names.size(), 0);
  for (const auto& s : set.samples)
    if (s.label >= 0) ++counts[static_cast<size_t>(s.label)];
  return counts;
}

std::vector<std::pair<std::string, std::string>> mirror_paths(const std::string& input, const std::string& output) {
  std::vector<std::pair<std::string, std::string>> plan;
  const fs::path in(input), out(output);
  if (fs::is_directory(in)) {
    for (const auto& f : list_images(input)) plan.emplace_back(f, (out / fs::path(f).lexically_relative(in)).string());
  } else if (lower_extension(input) == ".csv") {
    const ImageSet set = discover_images(input, DataOptions{});
    for (const auto& s : set.samples) {
      const fs::path dir = s.label >= 0 ? out / set.class_names[static_cast<size_t>(s.label)] : out;
      plan.emplace_back(s.path, (dir / fs::path(s.path).filename()).string());
    }
  } else {
    list_images(input);  // names a missing file
    plan.emplace_back(input, (out / in.filename()).string());
  }
  std::map<std::string, std::string> seen;
  for (const auto& [src, dst] : plan) {
    const auto [it, fresh] = seen.emplace(dst, src);
    if (!fresh) throw InputError(input + ": " + it->second + " and " + src + " would both be written to " + dst);
  }
  return plan;
}

ImageSet discover_images_or_all(const std::string& source, const std::string& group) {
  try {
    return discover_images(source, DataOptions{});
  } catch (const InputError&) {
    if (!fs::is_directory(source)) throw;  // a manifest's or a file's problem is the user's to see
    ImageSet set;
    set.source = source;
    set.class_names = {group};
    for (const auto& p : list_images(source)) set.samples.push_back({p, 0});  // names a missing source
    return set;
  }
}

}  // namespace alloyml::data
