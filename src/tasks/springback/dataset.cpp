#include "dataset.h"

#include <map>
#include <numeric>

#include "alloyml/core/error.h"
#include "alloyml/data/tabular.h"
#include "alloyml/run/split_file.h"
#include "alloyml/data/row_split.h"

namespace alloyml::tasks {

namespace {

void append(Dataset& d, const data::NumericTable& t, std::vector<size_t>* part) {
  if (d.all.rows() == 0) d.all.cols = t.samples.cols;
  for (size_t r = 0; r < t.samples.rows(); ++r) {
    if (part) part->push_back(d.all.rows());
    d.all.add(std::vector<double>(t.samples.row(r), t.samples.row(r) + t.samples.cols), t.samples.y[r]);
    d.source.push_back(t.path);
    d.row.push_back(t.rows[r]);
  }
}

// Random split of `indices` into train / val / test by fractions or counts.
void random_split(std::vector<size_t> indices, double val, double test, std::uint64_t seed, Dataset& d,
                  const std::string& source) {
  auto s = data::random_row_split(std::move(indices), val, test, seed, source);
  d.train = std::move(s.train);
  d.val = std::move(s.val);
  d.test = std::move(s.test);
}

}  // namespace

Dataset load_dataset(const SpringbackDataOptions& d) {
  const auto& features = d.features;
  const std::string& target = d.target;
  const auto& split = d.split;
  Dataset ds;
  if (d.train.empty()) {  // one CSV, split here (explicit files win, as data.train over data.root)
    append(ds, data::read_numeric_table(d.csv, features, target), nullptr);
    std::vector<size_t> all(ds.all.rows());
    std::iota(all.begin(), all.end(), 0);
    random_split(all, split.val, split.test, split.seed, ds, d.csv);
    return ds;
  }
  std::vector<size_t> train;
  append(ds, data::read_numeric_table(d.train, features, target), &train);
  if (d.val.empty()) {
    random_split(train, split.val, 0.0, split.seed, ds, d.train);
  } else {
    ds.train = train;
    append(ds, data::read_numeric_table(d.val, features, target), &ds.val);
  }
  if (!d.test.empty()) append(ds, data::read_numeric_table(d.test, features, target), &ds.test);
  return ds;
}

std::vector<std::string> split_names(const Dataset& d) {
  return run::split_names(d.all.rows(), d.train, d.val, d.test);
}

void write_split_csv(const std::string& path, const Dataset& d) {
  const auto part = split_names(d);
  std::vector<run::SplitEntry> entries;
  for (size_t i = 0; i < d.all.rows(); ++i) entries.push_back({d.source[i], static_cast<long>(d.row[i]), "", "", part[i], ""});
  run::write_split_file(path, entries);
}

data::Samples split_rows(const std::string& split_csv, const std::vector<std::string>& features,
                              const std::string& target, const std::string& split) {
  std::map<std::string, data::NumericTable> tables;
  data::Samples out;
  out.cols = features.size();
  for (const auto& e : run::read_split_file(split_csv)) {
    if (e.split != split) continue;
    const std::string& src = e.source;
    if (!tables.count(src)) tables[src] = data::read_numeric_table(src, features, target);
    const auto& t = tables[src];
    // A table reads every row or throws, so data row k is sample k - 1.
    const auto row = static_cast<size_t>(e.row);
    if (row < 1 || row > t.samples.rows())
      throw InputError(src + ": row " + std::to_string(row) + " (listed in " + split_csv + ") is gone");
    const size_t i = row - 1;
    out.add(std::vector<double>(t.samples.row(i), t.samples.row(i) + t.samples.cols), t.samples.y[i]);
  }
  return out;
}

}  // namespace alloyml::tasks
