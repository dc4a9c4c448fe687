#include "alloyml/run/split_file.h"

#include <algorithm>

#include "alloyml/core/csv.h"
#include "alloyml/core/error.h"
#include "alloyml/core/fs.h"

namespace alloyml::run {

void write_split_file(const std::string& path, const std::vector<SplitEntry>& entries) {
  std::string text = "source,row,item,label,split\n";
  for (const auto& e : entries) {
    if (e.split.empty()) continue;
    text += csv_escape(e.source) + "," + (e.row > 0 ? std::to_string(e.row) : std::string()) + "," + csv_escape(e.item) +
            "," + csv_escape(e.label) + "," + e.split + "\n";
  }
  write_text_atomically(path, text);
}

std::vector<SplitEntry> read_split_file(const std::string& path) {
  const CsvTable t = read_csv(path);
  auto has = [&](const char* name) { return std::find(t.header.begin(), t.header.end(), name) != t.header.end(); };
  // The columns of each known format; -1: absent.
  long source = -1, row = -1, item = -1, label = -1, split = -1;
  auto col = [&](const char* name) { return static_cast<long>(t.column(name)); };
  if (!has("split")) throw InputError(path + ": not a split file (no 'split' column)");
  split = col("split");
  if (has("source")) source = col("source");
  else if (has("path")) source = col("path");  // images, before the common format
  if (has("row")) row = col("row");
  if (has("item")) item = col("item");
  else if (has("formula")) item = col("formula");  // gfa, before the common format
  if (has("label")) label = col("label");
  if (source < 0 && row < 0) throw InputError(path + ": a split file needs a 'source' (or 'path') or a 'row' column");
  const long needed = std::max({source, row, item, label, split});
  std::vector<SplitEntry> out;
  out.reserve(t.rows.size());
  for (size_t r = 0; r < t.rows.size(); ++r) {
    const auto& cells = t.rows[r];
    SplitEntry e;
    e.where = path + ":" + std::to_string(t.line_numbers[r]);
    if (static_cast<long>(cells.size()) <= needed) throw InputError(e.where + ": row has too few columns");
    auto cell = [&](long c) { return c < 0 ? std::string() : cells[static_cast<size_t>(c)]; };
    e.source = cell(source);
    e.item = cell(item);
    e.label = cell(label);
    e.split = cell(split);
    if (e.split != "train" && e.split != "val" && e.split != "test" && e.split != kSkippedSplit)
      throw InputError(e.where + ": unknown split '" + e.split + "'");
    const std::string rtext = cell(row);
    if (!rtext.empty()) {
      try {
        size_t used = 0;
        e.row = std::stol(rtext, &used);
        if (used != rtext.size() || e.row < 1) throw std::invalid_argument("row");
      } catch (const std::exception&) {
        throw InputError(e.where + ": column 'row' is '" + rtext + "', not a row number");
      }
    }
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<std::string> split_names(size_t n, const std::vector<size_t>& train, const std::vector<size_t>& val,
                                     const std::vector<size_t>& test) {
  std::vector<std::string> part(n);
  for (size_t i : train) part[i] = "train";
  for (size_t i : val) part[i] = "val";
  for (size_t i : test) part[i] = "test";
  return part;
}

}  // namespace alloyml::run
