#include "alloyml/core/config.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "alloyml/core/error.h"
#include "alloyml/core/fs.h"
#include "alloyml/core/text.h"

namespace alloyml::config {

Field f(std::string path, Type type, Json def, std::string doc) {
  Field x;
  x.path = std::move(path);
  x.type = type;
  x.default_value = std::move(def);
  x.doc = std::move(doc);
  return x;
}

Field ranged(Field x, std::optional<double> lo, std::optional<double> hi) {
  x.min = lo;
  x.max = hi;
  return x;
}

Field one_of(Field x, std::vector<std::string> choices) {
  x.choices = std::move(choices);
  return x;
}

Field nullable(Field x) {
  x.nullable = true;
  return x;
}

namespace {

const char* type_name(Type t) {
  switch (t) {
    case Type::Bool: return "a boolean";
    case Type::Int: return "an integer";
    case Type::Number: return "a number";
    case Type::String: return "a string";
    case Type::IntList: return "a list of integers";
    case Type::NumberList: return "a list of numbers";
    case Type::StringList: return "a list of strings";
    case Type::Any: return "any value";
  }
  return "?";
}

bool is_int(const Json& v) {
  if (v.is_number_integer()) return true;
  if (v.is_number_float()) {
    const double d = v.get<double>();
    return std::isfinite(d) && std::floor(d) == d;
  }
  return false;
}

bool matches(Type t, const Json& v) {
  auto all = [&](auto pred) { return v.is_array() && std::all_of(v.begin(), v.end(), pred); };
  switch (t) {
    case Type::Bool: return v.is_boolean();
    case Type::Int: return is_int(v);
    case Type::Number: return v.is_number();
    case Type::String: return v.is_string();
    case Type::IntList: return all([](const Json& x) { return is_int(x); });
    case Type::NumberList: return all([](const Json& x) { return x.is_number(); });
    case Type::StringList: return all([](const Json& x) { return x.is_string(); });
    case Type::Any: return true;
  }
  return false;
}

std::string format_number(double d) {
  std::ostringstream os;
  os << d;
  return os.str();
}

// Sets doc[a][b][c] for "a.b.c", creating sections on the way. Returns "" on success, else the
// prefix that holds a value rather than a section.
std::string set_path(Json& doc, const std::string& path, const Json& value) {
  Json* node = &doc;
  std::stringstream ss(path);
  std::string part, walked;
  std::vector<std::string> parts;
  while (std::getline(ss, part, '.')) parts.push_back(part);
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    walked += (walked.empty() ? "" : ".") + parts[i];
    Json& child = (*node)[parts[i]];
    if (child.is_null()) child = Json::object();
    if (!child.is_object()) return walked;
    node = &child;
  }
  (*node)[parts.back()] = value;
  return "";
}

}  // namespace

Field& Schema::add(Field field) {
  fields_.push_back(std::move(field));
  return fields_.back();
}

const Field* Schema::find(const std::string& path) const {
  for (const auto& f : fields_)
    if (f.path == path) return &f;
  return nullptr;
}

Field& Schema::at(const std::string& path) {
  for (auto& f : fields_)
    if (f.path == path) return f;
  throw Error("schema: no key '" + path + "'");
}

Json Schema::defaults() const {
  Json doc = Json::object();
  for (const auto& f : fields_) set_path(doc, f.path, f.default_value);
  return doc;
}

Json Schema::resolve(const Json& user, const std::string& source) const {
  if (!user.is_object()) throw InputError(source + ": a config must be a JSON object");
  Json resolved = defaults();

  // Sections the schema knows: every proper prefix of a field path.
  std::set<std::string> sections;
  for (const auto& f : fields_) {
    for (size_t pos = f.path.find('.'); pos != std::string::npos; pos = f.path.find('.', pos + 1))
      sections.insert(f.path.substr(0, pos));
  }
  auto children_of = [&](const std::string& prefix) {
    std::set<std::string> names;
    const std::string p = prefix.empty() ? "" : prefix + ".";
    auto take = [&](const std::string& path) {
      if (path.compare(0, p.size(), p) != 0) return;
      const std::string rest = path.substr(p.size());
      names.insert(rest.substr(0, rest.find('.')));
    };
    for (const auto& f : fields_) take(f.path);
    return std::vector<std::string>(names.begin(), names.end());
  };

  std::function<void(const Json&, const std::string&)> walk = [&](const Json& node, const std::string& prefix) {
    for (auto it = node.begin(); it != node.end(); ++it) {
      const std::string path = prefix.empty() ? it.key() : prefix + "." + it.key();
      const Json& value = it.value();
      if (const Field* f = find(path)) {
        const std::string where = source + ": key '" + path + "'";
        if (value.is_null()) {
          if (!f->nullable) throw InputError(where + " must be " + type_name(f->type) + ", not null");
          set_path(resolved, path, value);
          continue;
        }
        if (!matches(f->type, value))
          throw InputError(where + " must be " + type_name(f->type) + ", got " + short_dump(value));
        auto check_range = [&](double d) {
          if ((f->min && d < *f->min) || (f->max && d > *f->max)) {
            std::string range = f->min && f->max ? "in [" + format_number(*f->min) + ", " + format_number(*f->max) + "]"
                                : f->min          ? ">= " + format_number(*f->min)
                                                  : "<= " + format_number(*f->max);
            throw InputError(where + " must be " + range + ", got " + format_number(d));
          }
        };
        if (value.is_number()) check_range(value.get<double>());
        if (value.is_array())
          for (const auto& x : value)
            if (x.is_number()) check_range(x.get<double>());
        if (!f->choices.empty() && value.is_string() &&
            std::find(f->choices.begin(), f->choices.end(), value.get<std::string>()) == f->choices.end()) {
          std::string list;
          for (const auto& c : f->choices) list += (list.empty() ? "" : ", ") + c;
          throw InputError(where + " must be one of {" + list + "}, got " + short_dump(value));
        }
        if (f->check) {
          const std::string problem = f->check(value);
          if (!problem.empty()) throw InputError(where + ": " + problem);
        }
        if (f->type == Type::Int) {
          set_path(resolved, path, static_cast<long long>(value.get<double>()));
        } else {
          set_path(resolved, path, value);
        }
      } else if (sections.count(path)) {
        if (!value.is_object())
          throw InputError(source + ": key '" + path + "' must be an object (a section), got " + short_dump(value));
        walk(value, path);
      } else {
        const auto siblings = children_of(prefix);
        const std::string guess = closest(it.key(), siblings);
        std::string msg = source + ": unknown key '" + path + "'";
        if (!guess.empty()) msg += "; did you mean '" + (prefix.empty() ? guess : prefix + "." + guess) + "'?";
        throw InputError(msg);
      }
    }
  };
  walk(user, "");
  return resolved;
}

std::string Schema::describe() const {
  std::ostringstream os;
  for (const auto& f : fields_)
    os << f.path << " (" << type_name(f.type) << ", default " << f.default_value.dump() << "): " << f.doc << "\n";
  return os.str();
}

namespace {
// "LINE:COL" of byte `offset` (0-based) of `text`, for a user to jump to.
std::string line_col(const std::string& text, size_t offset) {
  size_t line = 1, col = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return std::to_string(line) + ":" + std::to_string(col);
}

// The byte offset of the first bracket nested deeper than `max_depth`, or npos. One pass, no
// recursion: strings (with their escapes) are skipped.
size_t too_deep_at(const std::string& text, int max_depth) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return i;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return std::string::npos;
}
}  // namespace

std::string short_dump(const Json& v) {
  std::string s = v.dump(-1, ' ', false, Json::error_handler_t::replace);  // never throws on bytes that are not UTF-8
  if (s.size() > 60) s = s.substr(0, 57) + "...";
  return s;
}

bool json_too_deep(const std::string& text, int max_depth) { return too_deep_at(text, max_depth) != std::string::npos; }

Json parse_json(const std::string& text, const std::string& where) {
  if (const size_t at = too_deep_at(text, kMaxJsonDepth); at != std::string::npos)
    throw InputError(where + ":" + line_col(text, at) + ": JSON nested deeper than " + std::to_string(kMaxJsonDepth) +
                     " levels");
  // Keys seen in each open object, to refuse one given twice.
  std::vector<std::set<std::string>> keys;
  const Json::parser_callback_t check_keys = [&](int, Json::parse_event_t event, Json& parsed) {
    if (event == Json::parse_event_t::object_start) {
      keys.emplace_back();
    } else if (event == Json::parse_event_t::object_end) {
      if (!keys.empty()) keys.pop_back();
    } else if (event == Json::parse_event_t::key && !keys.empty()) {
      const auto key = parsed.get<std::string>();
      if (!keys.back().insert(key).second) throw InputError(where + ": key '" + key + "' is given twice in one object");
    }
    return true;
  };
  try {
    return Json::parse(text, check_keys);
  } catch (const Json::parse_error& e) {
    throw InputError(where + ":" + line_col(text, e.byte > 0 ? e.byte - 1 : 0) + ": invalid JSON (" + e.what() + ")");
  } catch (const Json::out_of_range& e) {
    // A number beyond a double ("1e400"): the message quotes it; point at its first occurrence.
    const std::string what = e.what();
    const size_t q = what.find("parsing '");
    const std::string token = q == std::string::npos ? "" : what.substr(q + 9, what.size() - q - 10);
    const size_t at = token.empty() ? std::string::npos : text.find(token);
    throw InputError(where + (at == std::string::npos ? "" : ":" + line_col(text, at)) + ": number '" + token +
                     "' is out of range for a double");
  }
}

Json try_parse_json(const std::string& text) {
  if (json_too_deep(text)) return Json(Json::value_t::discarded);
  return Json::parse(text, nullptr, false);
}

Json load_json_file(const std::string& path) { return parse_json(read_text_file(path), path); }

namespace {

// `over` laid over `base`: objects merge key by key, anything else (lists, null) replaces. Depth
// is bounded by parse_json's.
void merge_into(Json& base, const Json& over) {
  for (auto it = over.begin(); it != over.end(); ++it) {
    if (it.value().is_object() && base.contains(it.key()) && base[it.key()].is_object())
      merge_into(base[it.key()], it.value());
    else
      base[it.key()] = it.value();
  }
}

// `path` with its chain resolved; `chain` holds the files already on it, outermost first.
Json load_chain_link(const std::string& path, std::vector<std::string>& chain) {
  std::error_code ec;
  std::string canonical = std::filesystem::weakly_canonical(path, ec).string();
  if (ec) canonical = path;
  if (std::find(chain.begin(), chain.end(), canonical) != chain.end())
    throw InputError(path + ": 'extends' goes round in a circle (" + join(chain, " -> ") + " -> " + canonical + ")");
  if (chain.size() >= static_cast<size_t>(kMaxExtendsChain))
    throw InputError(path + ": 'extends' chains more than " + std::to_string(kMaxExtendsChain) + " configs (" +
                     chain.front() + " -> ... -> " + canonical + ")");
  chain.push_back(canonical);
  Json user = load_json_file(path);
  if (!user.is_object()) throw InputError(path + ": a config must be a JSON object");
  if (!user.contains("extends")) return user;
  if (!user["extends"].is_string()) throw InputError(path + ": key 'extends' must be a path to another config");
  const std::string name = user["extends"].get<std::string>();
  const std::string base_path = (std::filesystem::path(path).parent_path() / name).string();
  if (name.empty() || name.find('\0') != std::string::npos || !std::filesystem::is_regular_file(base_path, ec))
    throw InputError(path + ": key 'extends' names " + escape_non_utf8(shorten(base_path, 200)) + ", which " +
                     (std::filesystem::exists(base_path, ec) ? "is not a file" : "does not exist"));
  Json merged = load_chain_link(base_path, chain);
  user.erase("extends");
  merge_into(merged, user);
  return merged;
}

}  // namespace

Json load_config_chain(const std::string& path) {
  std::vector<std::string> chain;
  return load_chain_link(path, chain);
}

void apply_override(Json& doc, const std::string& assignment) {
  const auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0)
    throw InputError("--set '" + assignment + "': expected key.path=value");
  const std::string path = assignment.substr(0, eq);
  const std::string text = assignment.substr(eq + 1);
  // JSON (too deep or with a key given twice: refused, naming --set), else a string (paths, names).
  const std::string where = "--set '" + path + "=...'";
  const bool is_json = json_too_deep(text) || !Json::parse(text, nullptr, false).is_discarded();
  if (!is_json && !is_utf8(text)) throw InputError(where + ": the value is not UTF-8 text (a config is JSON, which is UTF-8)");
  const Json value = is_json ? parse_json(text, where) : Json(text);
  if (path.front() == '.' || path.back() == '.' || path.find("..") != std::string::npos)
    throw InputError("--set '" + assignment + "': empty key in path");
  if (!doc.is_null() && !doc.is_object()) throw InputError(where + ": the config is not a JSON object");
  const std::string blocked = set_path(doc, path, value);
  if (!blocked.empty()) throw InputError("--set '" + assignment + "': '" + blocked + "' is not a section");
}

const Json* find_path(const Json& doc, const std::string& path) {
  const Json* node = &doc;
  std::stringstream ss(path);
  std::string part;
  while (std::getline(ss, part, '.')) {
    if (!node->is_object() || !node->contains(part)) return nullptr;
    node = &(*node)[part];
  }
  return node;
}

void write_json_file(const std::string& path, const Json& doc) {
  // Text that is not UTF-8 (a file name from disk) is written with U+FFFD in its place rather than
  // failing the write.
  write_text_atomically(path, doc.dump(2, ' ', false, Json::error_handler_t::replace) + "\n");
}

}  // namespace alloyml::config
