#include "alloyml/tasks/springback/options.h"

#include "alloyml/core/error.h"
#include "alloyml/core/option_json.h"
#include "alloyml/tasks/config.h"
#include "alloyml/tasks/schema_parts.h"

namespace alloyml::tasks {
namespace {

using config::Json;

// Springback regression (GA-BP after the straightening paper): a CSV of straightening records.
config::Schema build_springback_schema() {
  const SpringbackOptions d;
  config::Schema s;
  add_common_keys(s);
  options::add_keys(s, "", d);
  add_split_keys(s, "validation share: fraction < 1 or count >= 1", "test share: fraction < 1 or count >= 1",
                 "seed of the random split");
  return s;
}

}  // namespace

const config::Schema& springback_schema() {
  static const config::Schema schema = build_springback_schema();
  return schema;
}

void check_springback_config(const config::Json& resolved, const std::string& source) {
  const auto& d = resolved["data"];
  if (d["csv"].is_null() && d["train"].is_null())
    throw InputError(source + ": set data.csv (one CSV, split by data.split) or data.train");
  if (d["features"].empty()) throw InputError(source + ": key 'data.features' is empty");
}

SpringbackOptions springback_options(const config::Json& c) {
  SpringbackOptions o;
  static_cast<CommonOptions&>(o) = common_options(c);
  o = options::read_keys(c, "", o);
  o.data.split = split_options(c["data"]["split"]);
  return o;
}

}  // namespace alloyml::tasks
