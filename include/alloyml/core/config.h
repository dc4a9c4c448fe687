#pragma once
// Config files: JSON with a "version", checked against a schema that knows every key,
// its type, default, range and meaning. Unknown keys, wrong types and out-of-range values
// are InputErrors naming the file and the key path (and the closest valid key when misspelt).
// Only non-torch translation units include this header (it pulls in nlohmann_json).
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace alloyml::config {

using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;

/// The version this build reads and writes.
inline constexpr int kVersion = 1;

enum class Type { Bool, Int, Number, String, IntList, NumberList, StringList, Any };

/// One leaf key of the schema.
struct Field {
  std::string path;                   ///< dotted path, e.g. "train.epochs"
  Type type = Type::Any;
  Json default_value;                 ///< written into the resolved config; null = unset
  std::string doc;                    ///< one line for users
  std::optional<double> min;          ///< inclusive lower bound (numbers and list items)
  std::optional<double> max;          ///< inclusive upper bound
  std::vector<std::string> choices;   ///< allowed strings (empty: any)
  bool nullable = false;              ///< null is a valid value (the default is often null)
  /// Extra check; returns an empty string when the value is fine, else what is wrong.
  std::function<std::string(const Json&)> check;
};

/// Field builders, so a schema reads as one line per key.
Field f(std::string path, Type type, Json default_value, std::string doc);
Field ranged(Field field, std::optional<double> min, std::optional<double> max);
Field one_of(Field field, std::vector<std::string> choices);
Field nullable(Field field);

class Schema {
 public:
  Field& add(Field field);
  const Field* find(const std::string& path) const;
  const std::vector<Field>& fields() const { return fields_; }

  /// The defaults as one JSON document.
  Json defaults() const;

  /// Checks `user` (from `source`, a file name used in messages) and returns it with
  /// every default filled in. Throws InputError on the first problem.
  Json resolve(const Json& user, const std::string& source) const;

  /// Text for `--help`-style listings: "path (type, default): doc" lines.
  std::string describe() const;

 private:
  std::vector<Field> fields_;
};

/// Reads a JSON file; a syntax error names the file, line and column.
Json load_json_file(const std::string& path);

/// Applies `a.b.c=value` to `doc` (value parsed as JSON, else taken as a string).
void apply_override(Json& doc, const std::string& assignment);

/// Navigates a dotted path; returns nullptr when a part is missing.
const Json* find_path(const Json& doc, const std::string& path);

/// Writes JSON atomically, pretty-printed.
void write_json_file(const std::string& path, const Json& doc);

}  // namespace alloyml::config
