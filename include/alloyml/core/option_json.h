#pragma once
// The JSON side of options declared once (core/option_keys.h): schema lines, reader and writer
// generated from an options struct's visit_keys. Pulls in nlohmann_json (core/config.h): only for
// units that are not torch units.
#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "alloyml/core/config.h"
#include "alloyml/core/error.h"
#include "alloyml/core/option_keys.h"

namespace alloyml::options {

namespace detail {

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};

template <class T>
config::Type type_of() {
  if constexpr (is_optional<T>::value) return type_of<typename T::value_type>();
  else if constexpr (std::is_same_v<T, bool>) return config::Type::Bool;
  else if constexpr (std::is_integral_v<T>) return config::Type::Int;
  else if constexpr (std::is_floating_point_v<T>) return config::Type::Number;
  else if constexpr (std::is_same_v<T, std::string>) return config::Type::String;
  else if constexpr (std::is_same_v<T, std::vector<int>> || std::is_same_v<T, std::vector<int64_t>>) return config::Type::IntList;
  else if constexpr (std::is_same_v<T, std::vector<double>>) return config::Type::NumberList;
  else if constexpr (std::is_same_v<T, std::vector<std::string>>) return config::Type::StringList;
  else static_assert(sizeof(T) == 0, "an option member of a type the schema has no word for");
}

template <class T>
config::Json value_json(const T& value, const Key& k) {
  if constexpr (is_optional<T>::value) {
    if (!value) return nullptr;
    return config::Json(*value);
  } else {
    if constexpr (std::is_same_v<T, std::string>)
      if (k.empty_is_null && value == k.null_value) return nullptr;
    return config::Json(value);
  }
}

// Adds one schema field per configurable key, the default being the member's value.
struct SchemaAdder {
  config::Schema& schema;
  std::string prefix;
  template <class T>
  void operator()(T& member, const Key& k) {
    if (k.internal) return;
    config::Field f = config::f(prefix + k.name, type_of<T>(), value_json(member, k), k.help);
    f.min = k.min;
    f.max = k.max;
    f.choices = k.choices;
    f.nullable = k.empty_is_null || is_optional<T>::value;
    schema.add(std::move(f));
  }
};

// Reads a section: a key that is absent keeps the member's value (a run directory written before
// the key existed reads as that version ran). A dotted key name ("ga.population") is a path.
struct Reader {
  const config::Json& section;
  std::string section_path;  ///< "optim", "model"; "" for the document itself (dotted key names)
  template <class T>
  void operator()(T& member, const Key& k) {
    const config::Json* found = config::find_path(section, k.name);
    if (!found) return;
    const config::Json& v = *found;
    if constexpr (std::is_same_v<T, std::string>) {
      if (k.empty_is_null && v.is_null()) {
        member = k.null_value;
        return;
      }
    }
    if constexpr (is_optional<T>::value) {
      if (v.is_null()) {
        member.reset();
        return;
      }
    }
    try {
      if constexpr (is_optional<T>::value) member = v.get<typename T::value_type>();
      else member = v.get<T>();
    } catch (const config::Json::exception&) {
      throw InputError("key '" + (section_path.empty() ? "" : section_path + ".") + k.name + "' is " +
                       config::short_dump(v) + ", not what it should be");
    }
  }
};

struct Writer {
  config::Json out = config::Json::object();
  template <class T>
  void operator()(T& member, const Key& k) {
    std::string pointer = "/" + k.name;
    for (auto& c : pointer)
      if (c == '.') c = '/';
    out[config::Json::json_pointer(pointer)] = value_json(member, k);
  }
};

}  // namespace detail

/// Calls the struct's visit_keys (found by argument-dependent lookup).
struct VisitKeys {
  template <class V, class Options>
  void operator()(V& v, Options& o) const {
    visit_keys(v, o);
  }
};

/// Adds the keys of `defaults`' struct under `prefix` ("optim."), with its values as defaults;
/// `visit` lists them (default: the struct's visit_keys; a generic lambda for another list).
template <class Options, class Visit = VisitKeys>
void add_keys(config::Schema& schema, const std::string& prefix, Options defaults, Visit visit = {}) {
  detail::SchemaAdder a{schema, prefix};
  visit(a, defaults);
}

/// Reads `section` (a resolved config's section or a model.json object, at `section_path` in its
/// document) over `start`. A value of the wrong type is an InputError naming the key's path; the
/// caller adds the file.
template <class Options, class Visit = VisitKeys>
Options read_keys(const config::Json& section, const std::string& section_path, Options start = Options{},
                  Visit visit = {}) {
  detail::Reader r{section, section_path};
  visit(r, start);
  return start;
}

/// Every key of `o`, configurable or not, as one JSON object.
template <class Options, class Visit = VisitKeys>
config::Json write_keys(Options o, Visit visit = {}) {
  detail::Writer w;
  visit(w, o);
  return w.out;
}

}  // namespace alloyml::options
