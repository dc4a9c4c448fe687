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
  /// The field at `path`, to adjust a generated one (a task's own default, choices or check);
  /// Error when there is none. Valid until the next add.
  Field& at(const std::string& path);
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

/// Deepest nesting of arrays and objects accepted in outside JSON (configs use 3-4 levels). Deeper
/// documents are refused before parsing, so nothing downstream recurses without bound.
inline constexpr int kMaxJsonDepth = 64;

/// Parses outside JSON; `where` (a file name, or "--set 'a.b=...'") starts every message.
/// Refused with an InputError: a syntax error (where:LINE:COL), nesting deeper than
/// kMaxJsonDepth (where:LINE:COL of the first bracket too deep), and a key given twice in one
/// object (nlohmann would keep the last silently).
Json parse_json(const std::string& text, const std::string& where);

/// `v` as JSON text, cut to 60 characters, for messages.
std::string short_dump(const Json& v);

/// True when `text` nests arrays and objects deeper than `max_depth` (strings skipped).
bool json_too_deep(const std::string& text, int max_depth = kMaxJsonDepth);

/// One JSON record (a line of a .jsonl file) without exceptions: discarded (is_discarded()) when
/// it is not JSON or nests deeper than kMaxJsonDepth.
Json try_parse_json(const std::string& text);

/// Reads a JSON file through parse_json; errors name the file, line and column.
Json load_json_file(const std::string& path);

/// Longest chain of configs naming the config they change ("extends") that is followed.
inline constexpr int kMaxExtendsChain = 16;

/// A config file with its "extends" chain resolved: the path is relative to the file that names
/// it, and the file's keys are laid over that config's (objects merge key by key; anything else,
/// lists and null included, replaces). InputError naming the file for a circle, a chain longer
/// than kMaxExtendsChain, a missing file, an 'extends' that is not a string or a document that is
/// not an object.
Json load_config_chain(const std::string& path);

/// Applies `a.b.c=value` to `doc` (value parsed as JSON, else taken as a string).
void apply_override(Json& doc, const std::string& assignment);

/// Navigates a dotted path; returns nullptr when a part is missing.
const Json* find_path(const Json& doc, const std::string& path);

/// Writes JSON atomically, pretty-printed.
void write_json_file(const std::string& path, const Json& doc);

}  // namespace alloyml::config
