#include "alloyml/tasks/command_options.h"

#include <sstream>

#include "alloyml/core/error.h"

namespace alloyml::tasks {

OptionSpec& OptionSpec::text(std::string default_text) {
  kind = Kind::Text;
  default_value = std::move(default_text);
  return *this;
}

OptionSpec& OptionSpec::integer(long default_integer) {
  kind = Kind::Integer;
  default_value = std::to_string(default_integer);
  return *this;
}

OptionSpec& OptionSpec::number(double default_number) {
  kind = Kind::Number;
  std::ostringstream s;
  s << default_number;
  default_value = s.str();
  return *this;
}

OptionSpec& OptionSpec::flag() {
  kind = Kind::Flag;
  default_value.clear();
  return *this;
}

OptionSpec& OptionSpec::required() {
  is_required = true;
  return *this;
}

OptionSpec& OptionSpec::repeatable() {
  is_repeatable = true;
  return *this;
}

OptionSpec& OptionSpec::existing_file() {
  exists = Exists::File;
  return *this;
}

OptionSpec& OptionSpec::existing_directory() {
  exists = Exists::Directory;
  return *this;
}

OptionSpec& OptionSpec::existing_path() {
  exists = Exists::Path;
  return *this;
}

OptionSpec& OptionSpec::one_of(std::vector<std::string> allowed) {
  choices = std::move(allowed);
  return *this;
}

OptionSpec& OptionSpec::positive() {
  is_positive = true;
  return *this;
}

OptionSpec& OptionSpec::run_only() {
  is_run_only = true;
  return *this;
}

OptionSpec& OptionSpec::weights_only() {
  is_weights_only = true;
  return *this;
}

OptionSpec& OptionSpec::range(std::optional<double> lowest, std::optional<double> highest) {
  min = lowest;
  max = highest;
  return *this;
}

std::string option_name(const std::string& names) {
  // The first long name ("--x"), else the first name as it is (positional or short).
  size_t start = 0;
  std::string first;
  while (start <= names.size()) {
    const size_t end = names.find(',', start);
    const std::string n = names.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (n.rfind("--", 0) == 0) return n.substr(2);
    if (first.empty()) first = n;
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return first.rfind('-', 0) == 0 ? first.substr(1) : first;
}

std::string OptionValues::text(const std::string& name) const {
  const auto it = given_.find(name);
  if (it != given_.end() && !it->second.empty()) return it->second.back();
  const auto d = defaults_.find(name);
  if (d != defaults_.end()) return d->second;
  throw InputError("--" + name + " is required");
}

long OptionValues::integer(const std::string& name) const {
  const std::string v = text(name);
  try {
    size_t used = 0;
    const long x = std::stol(v, &used);
    if (used == v.size()) return x;
  } catch (const std::exception&) {
  }
  throw InputError("--" + name + ": '" + v + "' is not a whole number");
}

double OptionValues::number(const std::string& name) const {
  const std::string v = text(name);
  try {
    size_t used = 0;
    const double x = std::stod(v, &used);
    if (used == v.size()) return x;
  } catch (const std::exception&) {
  }
  throw InputError("--" + name + ": '" + v + "' is not a number");
}

bool OptionValues::flag(const std::string& name) const {
  const auto it = given_.find(name);
  return it != given_.end() && !it->second.empty() && it->second.back() == "1";
}

std::vector<std::string> OptionValues::list(const std::string& name) const {
  const auto it = given_.find(name);
  return it == given_.end() ? std::vector<std::string>{} : it->second;
}

std::vector<std::string> OptionValues::given() const {
  std::vector<std::string> out;
  for (const auto& [k, v] : given_) out.push_back(k);
  return out;
}

}  // namespace alloyml::tasks
