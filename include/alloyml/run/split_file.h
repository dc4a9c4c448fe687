#pragma once
// split.csv: which sample of a run went to train, val or test, in one format for every task:
//   source,row,item,label,split
// `source` is the file a sample came from (an image, or the CSV of a table), `row` its 1-based
// data row in that CSV (empty for images), `item` what names it there (a formula; may be empty),
// `label` its class (classification; else empty). Rows are kept in sample order, so a resumed
// run restores the same indices (augmentation and shuffling are keyed by them). A sample found
// unreadable during training keeps its row with the split "skipped": it was in no part.
//
// Run directories written before this format still open: "path,label,split" (images),
// "source,row,split" (springback) and "row,formula,split" (gfa; source empty) are read too.
#include <string>
#include <vector>

namespace alloyml::run {

struct SplitEntry {
  std::string source;
  long row = 0;       ///< 0: not a table row
  std::string item;
  std::string label;
  std::string split;  ///< "train", "val", "test" or "skipped"
  /// "FILE:LINE" of the entry in the split.csv it was read from (for messages).
  std::string where;
};

/// Writes split.csv atomically. An entry whose split is empty is left out.
void write_split_file(const std::string& path, const std::vector<SplitEntry>& entries);

/// Reads split.csv in the current or an old format. InputError naming the file and line for an
/// unknown split name, a short row or an unknown header.
std::vector<SplitEntry> read_split_file(const std::string& path);

/// The split of a sample that could not be read: listed in order, in no part.
inline constexpr const char* kSkippedSplit = "skipped";

/// `split` for each of `n` samples from index lists: "train", "val", "test" or "" (in none).
std::vector<std::string> split_names(size_t n, const std::vector<size_t>& train, const std::vector<size_t>& val,
                                     const std::vector<size_t>& test);

}  // namespace alloyml::run
