#pragma once
// The rows of a springback run: one CSV split at random, or explicit files; kept in split.csv.
#include <string>
#include <vector>

#include "alloyml/data/samples.h"
#include "alloyml/tasks/springback/options.h"

namespace alloyml::tasks {

struct Dataset {
  data::Samples all;
  std::vector<std::string> source;  ///< file of each sample
  std::vector<size_t> row;          ///< its data row in that file
  std::vector<size_t> train, val, test;
};

/// Reads the tables of `data` and splits them.
Dataset load_dataset(const SpringbackDataOptions& data);

/// "train", "val" or "test" for every sample.
std::vector<std::string> split_names(const Dataset& d);

/// Writes split.csv: each sample's file, data row and part.
void write_split_csv(const std::string& path, const Dataset& d);

/// The rows split.csv puts in `split`, as samples of the model's features and target.
data::Samples split_rows(const std::string& split_csv, const std::vector<std::string>& features,
                              const std::string& target, const std::string& split);

}  // namespace alloyml::tasks
