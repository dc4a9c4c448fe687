#include "alloyml/data/split.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <functional>
#include <map>
#include <numeric>
#include <regex>

#include <opencv2/imgproc.hpp>

#include "alloyml/core/csv.h"
#include "alloyml/core/error.h"
#include "alloyml/core/fs.h"
#include "alloyml/core/rng.h"
#include "alloyml/data/tabular.h"

namespace alloyml::data {
namespace {

// Per class, the groups of that class (a group's class is its first sample's), shuffled.
std::vector<std::vector<std::vector<size_t>>> shuffled_groups_by_class(const ImageSet& set,
                                                                       const std::vector<size_t>& groups,
                                                                       std::uint64_t seed) {
  std::map<size_t, std::vector<size_t>> members;
  for (size_t i = 0; i < set.samples.size(); ++i) members[groups.empty() ? i : groups[i]].push_back(i);
  std::vector<std::vector<std::vector<size_t>>> by_class(set.class_names.size());
  for (auto& [id, idx] : members) {
    const int label = set.samples[idx.front()].label;
    if (label < 0) throw InputError(set.samples[idx.front()].path + ": unlabelled sample in a labelled split");
    by_class[static_cast<size_t>(label)].push_back(idx);
  }
  for (size_t c = 0; c < by_class.size(); ++c) seeded_shuffle(by_class[c], derive_seed(seed, 0x5B117, c));
  return by_class;
}

// Spreads `total` items over classes in proportion to their sizes (largest remainder).
std::vector<size_t> apportion(size_t total, const std::vector<size_t>& sizes) {
  const size_t n = std::accumulate(sizes.begin(), sizes.end(), size_t{0});
  std::vector<size_t> out(sizes.size(), 0);
  if (n == 0) return out;
  std::vector<std::pair<double, size_t>> rest;
  size_t given = 0;
  for (size_t c = 0; c < sizes.size(); ++c) {
    const double exact = static_cast<double>(total) * sizes[c] / n;
    out[c] = static_cast<size_t>(std::floor(exact));
    given += out[c];
    rest.emplace_back(exact - out[c], c);
  }
  std::stable_sort(rest.begin(), rest.end(), [](auto& a, auto& b) { return a.first > b.first; });
  for (size_t i = 0; given < total && i < rest.size(); ++i, ++given) ++out[rest[i].second];
  return out;
}

// The manifest a set was read from, and each sample's row in it (for keys of data.split).
struct ManifestRows {
  CsvTable table;
  std::vector<size_t> row;
};

ManifestRows manifest_rows(const ImageSet& set, const std::string& key) {
  if (lower_extension(set.source) != ".csv")
    throw InputError(set.source + ": " + key + " needs a CSV manifest (data.root or data.train)");
  ManifestRows m{read_csv(set.source), {}};
  const size_t path_col = m.table.column("path");
  std::map<std::string, size_t> by_path;
  const std::filesystem::path base = std::filesystem::path(set.source).parent_path();
  for (size_t r = 0; r < m.table.rows.size(); ++r) {
    const auto& row = m.table.rows[r];
    if (row.size() <= path_col) continue;  // discovery reported such rows already
    std::filesystem::path p(row[path_col]);
    if (p.is_relative()) p = base / p;
    by_path[p.string()] = r;
  }
  for (const auto& s : set.samples) {
    const auto it = by_path.find(s.path);
    if (it == by_path.end()) throw InputError(s.path + ": not in " + set.source);
    m.row.push_back(it->second);
  }
  return m;
}

// The number a sample is ordered by for a split by "number" or "column:NAME".
std::vector<double> order_keys(const ImageSet& set, const std::string& by) {
  std::vector<double> keys(set.samples.size(), 0.0);
  if (by == "number") {
    static const std::regex last_number("([0-9]+)[^0-9]*$");
    for (size_t i = 0; i < keys.size(); ++i) {
      const std::string stem = std::filesystem::path(set.samples[i].path).stem().string();
      std::smatch m;
      if (!std::regex_search(stem, m, last_number))
        throw InputError(set.samples[i].path + ": data.split.by is 'number' but the file name has no number");
      keys[i] = std::stod(m[1].str());
    }
    return keys;
  }
  const std::string prefix = "column:";
  if (by.compare(0, prefix.size(), prefix) != 0)
    throw InputError("data.split.by must be random, number or column:NAME, got '" + by + "'");
  const std::string column = by.substr(prefix.size());
  const ManifestRows rows = manifest_rows(set, "data.split.by '" + by + "'");
  const size_t key_col = rows.table.column(column);
  for (size_t i = 0; i < keys.size(); ++i) keys[i] = numeric_cell(rows.table, rows.row[i], key_col);
  return keys;
}

size_t resolve_share(double share, size_t n, const char* name) {
  if (share < 0) throw InputError(std::string("data.split.") + name + " must not be negative");
  if (share >= 1) {
    if (share > static_cast<double>(n))
      throw InputError(std::string("data.split.") + name + " asks for " + std::to_string(static_cast<long>(share)) +
                       " images but the set has " + std::to_string(n));
    return static_cast<size_t>(std::llround(share));
  }
  return static_cast<size_t>(std::llround(share * n));
}

}  // namespace

std::vector<size_t> duplicate_groups(const ImageSet& set) {
  std::map<std::uint64_t, size_t> first_with_hash;
  std::vector<size_t> groups(set.samples.size());
  for (size_t i = 0; i < set.samples.size(); ++i) {
    const auto h = hash_file(set.samples[i].path);
    groups[i] = first_with_hash.emplace(h, i).first->second;
  }
  return groups;
}

std::vector<size_t> split_groups(const ImageSet& set, const std::string& group_by) {
  std::vector<size_t> parent = duplicate_groups(set);
  if (group_by.empty()) return parent;
  std::function<size_t(size_t)> root = [&](size_t i) { return parent[i] == i ? i : parent[i] = root(parent[i]); };
  const ManifestRows rows = manifest_rows(set, "data.split.group_by '" + group_by + "'");
  const size_t col = rows.table.column(group_by);
  std::map<std::string, size_t> first_of_value;
  size_t alone = 0;
  for (size_t i = 0; i < set.samples.size(); ++i) {
    const auto& row = rows.table.rows[rows.row[i]];
    if (row.size() <= col || row[col].empty()) {  // no value: a group of its own (with its identical files)
      ++alone;
      continue;
    }
    const size_t first = first_of_value.emplace(row[col], i).first->second;
    const size_t a = root(i), b = root(first);
    if (a != b) parent[std::max(a, b)] = std::min(a, b);
  }
  for (size_t i = 0; i < parent.size(); ++i) parent[i] = root(i);
  if (alone > 0)
    spdlog::info("{}: {} of {} image(s) have no {} (data.split.group_by); each of them is a group of its own",
                 set.source, alone, set.samples.size(), group_by);
  return parent;
}

Split stratified_split(const ImageSet& set, const SplitOptions& options, const std::vector<size_t>& groups) {
  const size_t n = set.samples.size();
  const size_t n_val = resolve_share(options.val, n, "val");
  const size_t n_test = resolve_share(options.test, n, "test");
  if (n_val + n_test >= n) throw InputError("data.split: val + test leave no training images");
  auto by_class = shuffled_groups_by_class(set, groups, options.seed);
  if (options.by != "random") {
    // Highest keys first, so the loop below gives them to test, then validation, then training.
    const auto keys = order_keys(set, options.by);
    auto first_key = [&](const std::vector<size_t>& g) {
      double k = keys[g.front()];
      for (size_t i : g) k = std::min(k, keys[i]);
      return k;
    };
    for (auto& groups_of_class : by_class)
      std::stable_sort(groups_of_class.begin(), groups_of_class.end(), [&](const auto& a, const auto& b) {
        const double ka = first_key(a), kb = first_key(b);
        return ka != kb ? ka > kb : a.front() > b.front();
      });
  }
  std::vector<size_t> sizes;
  for (const auto& g : by_class) {
    size_t s = 0;
    for (const auto& grp : g) s += grp.size();
    sizes.push_back(s);
  }
  const auto val_per_class = apportion(n_val, sizes);
  const auto test_per_class = apportion(n_test, sizes);
  Split split;
  for (size_t c = 0; c < by_class.size(); ++c) {
    size_t taken_test = 0, taken_val = 0;
    for (const auto& grp : by_class[c]) {
      std::vector<size_t>* dst = &split.train;
      if (taken_test < test_per_class[c]) {
        dst = &split.test;
        taken_test += grp.size();
      } else if (taken_val < val_per_class[c]) {
        dst = &split.val;
        taken_val += grp.size();
      }
      dst->insert(dst->end(), grp.begin(), grp.end());
    }
  }
  for (auto* part : {&split.train, &split.val, &split.test}) std::sort(part->begin(), part->end());
  return split;
}

std::vector<int> stratified_folds(const ImageSet& set, int k, std::uint64_t seed, const std::vector<size_t>& groups) {
  if (k < 2) throw InputError("k-fold needs at least 2 folds, got " + std::to_string(k));
  if (static_cast<size_t>(k) > set.samples.size())
    throw InputError("k-fold: " + std::to_string(k) + " folds but only " + std::to_string(set.samples.size()) +
                     " samples");
  auto by_class = shuffled_groups_by_class(set, groups, seed);
  std::vector<int> fold(set.samples.size(), -1);
  const size_t folds = static_cast<size_t>(k);
  std::vector<size_t> fold_size(folds, 0);
  std::vector<std::vector<size_t>> class_in_fold(folds, std::vector<size_t>(set.class_names.size(), 0));
  for (size_t c = 0; c < by_class.size(); ++c) {
    // Largest groups first (a specimen of 60 micrographs before one of 3), each to the fold with
    // the fewest images of its class, then the fewest images in all, then the lowest number: the
    // folds stay stratified and even whatever the group sizes. Ungrouped, it deals round-robin.
    auto& groups_of_class = by_class[c];
    std::stable_sort(groups_of_class.begin(), groups_of_class.end(),
                     [](const auto& a, const auto& b) { return a.size() > b.size(); });
    for (const auto& grp : groups_of_class) {
      size_t best = 0;
      for (size_t f = 1; f < folds; ++f) {
        const auto key = [&](size_t g) { return std::make_pair(class_in_fold[g][c], fold_size[g]); };
        if (key(f) < key(best)) best = f;
      }
      for (size_t i : grp) {
        fold[i] = static_cast<int>(best);
        ++class_in_fold[best][static_cast<size_t>(set.samples[i].label)];
      }
      fold_size[best] += grp.size();
    }
  }
  return fold;
}

ImageHash difference_hash(const cv::Mat& image) {
  cv::Mat g = image;
  if (g.channels() == 3) cv::cvtColor(g, g, cv::COLOR_BGR2GRAY);
  g.convertTo(g, CV_32F);
  cv::Mat across, down;
  cv::resize(g, across, cv::Size(17, 16), 0, 0, cv::INTER_AREA);
  cv::resize(g, down, cv::Size(16, 17), 0, 0, cv::INTER_AREA);
  ImageHash h{};
  size_t bit = 0;
  auto put = [&](bool on) {
    if (on) h[bit / 64] |= std::uint64_t{1} << (bit % 64);
    ++bit;
  };
  for (int y = 0; y < 16; ++y)
    for (int x = 0; x < 16; ++x) put(across.at<float>(y, x) > across.at<float>(y, x + 1));
  for (int y = 0; y < 16; ++y)
    for (int x = 0; x < 16; ++x) put(down.at<float>(y, x) > down.at<float>(y + 1, x));
  return h;
}

int hash_distance(const ImageHash& a, const ImageHash& b) {
  int d = 0;
  for (size_t k = 0; k < a.size(); ++k) d += __builtin_popcountll(a[k] ^ b[k]);
  return d;
}

std::vector<std::pair<size_t, size_t>> near_duplicates_across(const std::vector<ImageHash>& hashes, const Split& split,
                                                              int max_bits) {
  std::vector<std::pair<size_t, size_t>> out;
  for (const auto* held : {&split.val, &split.test})
    for (size_t i : *held)
      for (size_t j : split.train)
        if (hash_distance(hashes[i], hashes[j]) <= max_bits) {
          out.emplace_back(i, j);
          break;
        }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace alloyml::data
