#pragma once
// A small CSV reader (RFC 4180 quoting, CRLF or LF) and writer, for manifests, tables and outputs.
#include <string>
#include <vector>

namespace alloyml {

struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<size_t> line_numbers;  ///< 1-based line of each row in the file, for messages
  std::string path;

  /// Index of a column by name; throws InputError naming the file and the columns it has.
  size_t column(const std::string& name) const;
};

/// Reads a CSV whose first row is a header. Throws InputError naming the file and line.
CsvTable read_csv(const std::string& path);

/// Quotes a field when it needs it.
std::string csv_escape(const std::string& field);

}  // namespace alloyml
