#include "alloyml/core/csv.h"

#include <map>

#include "alloyml/core/error.h"
#include "alloyml/core/fs.h"

namespace alloyml {

size_t CsvTable::column(const std::string& name) const {
  for (size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return i;
  std::string have;
  for (const auto& h : header) have += (have.empty() ? "" : ", ") + h;
  throw InputError(path + ": no column '" + name + "' (columns: " + have + ")");
}

CsvTable read_csv(const std::string& path) {
  const std::string text = read_text_file(path);
  CsvTable table;
  table.path = path;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false, field_started = false;
  size_t line = 1, row_line = 1;
  auto end_field = [&] {
    row.push_back(field);
    field.clear();
    field_started = false;
  };
  auto end_row = [&] {
    end_field();
    const bool blank = row.size() == 1 && row[0].empty();
    if (!blank) {
      if (table.header.empty()) {
        table.header = row;
      } else {
        table.rows.push_back(row);
        table.line_numbers.push_back(row_line);
      }
    }
    row.clear();
  };
  size_t i = 0;
  if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) i = 3;  // UTF-8 byte-order mark
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
    } else if (c == '"' && !field_started) {
      quoted = field_started = true;
    } else if (c == ',') {
      end_field();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      end_row();
      row_line = ++line;
    } else {
      field += c;
      field_started = true;
    }
  }
  if (quoted) throw InputError(path + ":" + std::to_string(row_line) + ": unterminated quoted field");
  if (!field.empty() || !row.empty()) end_row();
  if (table.header.empty()) throw InputError(path + ": empty CSV (no header)");
  for (auto& h : table.header) {
    while (!h.empty() && (h.back() == ' ' || h.back() == '\t')) h.pop_back();
    while (!h.empty() && (h.front() == ' ' || h.front() == '\t')) h.erase(h.begin());
  }
  // A column named twice would be read from whichever comes first, silently.
  std::map<std::string, size_t> seen;
  for (size_t b = 0; b < table.header.size(); ++b) {
    const auto [it, fresh] = seen.emplace(table.header[b], b);
    if (!fresh && !table.header[b].empty())
      throw InputError(path + ":1: column '" + table.header[b] + "' is named twice in the header (columns " +
                       std::to_string(it->second + 1) + " and " + std::to_string(b + 1) + ")");
  }
  return table;
}

std::string csv_escape(const std::string& field) {
  if (field.find_first_of(",\"\n\r") == std::string::npos) return field;
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace alloyml
