#include "alloyml/tasks/gfa/options.h"

#include <algorithm>

#include "alloyml/core/error.h"
#include "alloyml/core/option_json.h"
#include "alloyml/core/text.h"
#include "alloyml/data/elements.h"
#include "alloyml/tasks/config.h"
#include "alloyml/tasks/schema_parts.h"

namespace alloyml::tasks {
namespace {

using config::Json;

// Glass-forming ability (Dmax) from composition images (tasks/gfa.h).
config::Schema build_gfa_schema() {
  const GfaOptions d;
  config::Schema s;
  add_common_keys(s);
  options::add_keys(s, "", d);
  add_split_keys(s, "cv.folds 0: validation share (fraction < 1 or count)", "cv.folds 0: test share (fraction < 1 or count)",
                 "seed of the split and the folds");

  add_network_keys(s, d.model, d.transfer, d.optim, d.schedule, d.train, {}, gfa_monitors());
  return s;
}

}  // namespace

const std::vector<std::string>& gfa_monitors() {
  static const std::vector<std::string> monitors{"val_rmse", "val_r2", "val_mae", "val_loss", "train_loss"};
  return monitors;
}

const config::Schema& gfa_schema() {
  static const config::Schema schema = build_gfa_schema();
  return schema;
}

void check_gfa_config(const config::Json& resolved, const std::string& source) {
  check_network_keys(resolved, source);
  if (resolved["data"]["csv"].is_null()) throw InputError(source + ": set data.csv (formulas and Dmax)");
  const int folds = resolved["cv"]["folds"];
  if (folds == 1) throw InputError(source + ": key 'cv.folds' must be 0 (one model on data.split) or at least 2, got 1");
  if (resolved["loss"]["lds"]["kernel_size"].get<int>() % 2 == 0)
    throw InputError(source + ": key 'loss.lds.kernel_size' must be odd");
  for (const auto& p : resolved["encoding"]["properties"]) {
    const auto& names = data::element_property_names();
    const std::string n = p;
    if (std::find(names.begin(), names.end(), n) == names.end()) {
      const std::string guess = closest(n, names);
      throw InputError(source + ": key 'encoding.properties': unknown property '" + n + "'" +
                       (guess.empty() ? "" : "; did you mean '" + guess + "'?") + " Valid: " + join(names));
    }
  }
}

GfaOptions gfa_options(const config::Json& c) {
  GfaOptions o;
  static_cast<CommonOptions&>(o) = common_options(c);
  o = options::read_keys(c, "", o);
  o.data.split = split_options(c["data"]["split"]);
  o.model = model_options(c["model"]);
  o.transfer = transfer_options(c["transfer"]);
  o.optim = optim_options(c["optim"]);
  o.schedule = schedule_options(c["schedule"]);
  o.train = train_options(c["train"]);
  return o;
}

}  // namespace alloyml::tasks
