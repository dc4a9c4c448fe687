#pragma once
// Options declared once (issue 41): an options struct's members have their defaults where they
// are declared, and a visit_keys function beside the struct names each member's config key with
// its help and limits, one line a key:
//
//   template <class V> void visit_keys(V& v, OptimOptions& o) {
//     v(o.name, key("name", "adam, adamw or sgd").one_of({"adam", "adamw", "sgd"}));
//     v(o.lr, key("lr", "base learning rate").range(1e-12, 10));
//   }
//
// From that one list, core/option_json.h makes the schema lines (defaults taken from a struct),
// the reader (config or model.json section -> struct) and the writer (struct -> JSON). Torch-free
// and JSON-free, so option headers stay light for every unit.
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace alloyml::options {

/// One member's key: its name in the section, help for users, and what the schema checks.
struct Key {
  std::string name;
  std::string help;
  std::optional<double> min, max;    ///< inclusive bounds (numbers and list items)
  std::vector<std::string> choices;  ///< allowed strings (empty: any)
  bool empty_is_null = false;        ///< a string key whose null stands for `null_value`
  std::string null_value;            ///< the struct's value for a config's null ("" or, say, "auto")
  bool internal = false;             ///< read and written (model.json), but no config key

  Key&& range(std::optional<double> lo, std::optional<double> hi) && {
    min = lo;
    max = hi;
    return std::move(*this);
  }
  Key&& at_least(double lo) && {
    min = lo;
    return std::move(*this);
  }
  Key&& one_of(std::vector<std::string> values) && {
    choices = std::move(values);
    return std::move(*this);
  }
  /// An optional string: null in the config means unset ("" in the struct).
  Key&& null_when_empty() && { return std::move(*this).null_means(""); }
  /// A string whose null in the config stands for `value` in the struct (e.g. "auto").
  Key&& null_means(std::string value) && {
    empty_is_null = true;
    null_value = std::move(value);
    return std::move(*this);
  }
  /// Kept in a run's model.json for the code that reads it back, never set by a config.
  Key&& not_configurable() && {
    internal = true;
    return std::move(*this);
  }
};

inline Key key(std::string name, std::string help) {
  Key k;
  k.name = std::move(name);
  k.help = std::move(help);
  return k;
}

/// A visitor that passes on only some keys of a shared section (`keep` true: the keys named;
/// false: all but them), for a task that takes part of it (pretraining reads no data.split).
template <class V>
struct KeyFilter {
  V& v;
  std::vector<std::string> names;
  bool keep = true;
  template <class T>
  void operator()(T& member, const Key& k) {
    bool listed = false;
    for (const auto& n : names) listed = listed || n == k.name;
    if (listed == keep) v(member, k);
  }
};
template <class V>
KeyFilter<V> only_keys(V& v, std::vector<std::string> names) {
  return KeyFilter<V>{v, std::move(names), true};
}
template <class V>
KeyFilter<V> all_keys_but(V& v, std::vector<std::string> names) {
  return KeyFilter<V>{v, std::move(names), false};
}

}  // namespace alloyml::options
