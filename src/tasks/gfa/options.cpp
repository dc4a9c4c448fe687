#include "alloyml/tasks/gfa/options.h"

#include <algorithm>

#include "alloyml/core/error.h"
#include "alloyml/core/text.h"
#include "alloyml/data/elements.h"
#include "alloyml/tasks/config.h"
#include "alloyml/tasks/schema_parts.h"

namespace alloyml::tasks {
namespace {

using config::f;
using config::Json;
using config::nullable;
using config::one_of;
using config::ranged;
using config::Type;

// Glass-forming ability (Dmax) from composition images (tasks/gfa.h).
config::Schema build_schema() {
  const GfaOptions d;
  config::Schema s;
  add_common_keys(s);
  s.add(nullable(f("data.csv", Type::String, nullptr, "CSV with a formula column and a Dmax column")));
  s.add(nullable(f("data.formula_column", Type::String, nullptr,
                   "column of the formulas; default: the first whose name has alloy, formula or composition")));
  s.add(nullable(f("data.target_column", Type::String, nullptr,
                   "column of the target; default: the first whose name has dmax or d_max")));
  s.add(f("data.elements", Type::StringList, Json(d.data.elements), "element set of the images; empty: every element in the data"));
  add_split_keys(s, "cv.folds 0: validation share (fraction < 1 or count)", "cv.folds 0: test share (fraction < 1 or count)",
                 "seed of the split and the folds");

  s.add(one_of(f("encoding.kind", Type::String, d.encoding.kind, "outer_product (Wei et al.) or periodic_table (Feng et al.)"),
               {"outer_product", "periodic_table"}));
  s.add(f("encoding.properties", Type::StringList, Json(d.encoding.properties),
          "element properties, one weighted channel each: radius, electronegativity, vec, melting_point"));
  s.add(ranged(f("encoding.size", Type::Int, d.encoding.size,
                 "image side fed to the network; 0 = native (elements x elements), or 224 with model.pretrained"), 0, 1024));

  add_network_keys(s, d.model.name, {}, gfa_monitors());

  s.add(one_of(f("loss.name", Type::String, d.loss.name, "mse, l1 or huber"), {"mse", "l1", "huber"}));
  s.add(ranged(f("loss.huber_delta", Type::Number, d.loss.huber_delta, "huber: where the loss turns linear (target space)"), 1e-9, {}));
  s.add(one_of(f("loss.target_transform", Type::String, d.loss.target_transform, "none or log1p (long-tailed Dmax)"), {"none", "log1p"}));
  s.add(f("loss.lds.enabled", Type::Bool, d.loss.lds.enabled, "label-distribution smoothing re-weighting (Yang et al. 2021)"));
  s.add(ranged(f("loss.lds.bins", Type::Int, d.loss.lds.bins, "histogram bins over the target range"), 1, 100000));
  s.add(ranged(f("loss.lds.kernel_size", Type::Int, d.loss.lds.kernel_size, "Gaussian kernel size in bins (odd)"), 1, 1001));
  s.add(ranged(f("loss.lds.sigma", Type::Number, d.loss.lds.sigma, "Gaussian kernel sigma in bins"), 1e-6, {}));
  s.add(one_of(f("loss.lds.reweight", Type::String, d.loss.lds.reweight, "inverse or sqrt_inverse of the smoothed density"),
               {"inverse", "sqrt_inverse"}));
  s.add(ranged(f("mixup.alpha", Type::Number, d.mixup_alpha, "Mixup Beta(alpha, alpha); 0 = off"), 0, 100));
  s.add(ranged(f("mixup.prob", Type::Number, d.mixup_prob, "share of batches mixed"), 0, 1));

  s.add(ranged(f("cv.folds", Type::Int, d.cv_folds, "k-fold cross-validation; 0 = one model on data.split"), 0, 1000));
  s.add(f("cv.final_model", Type::Bool, d.cv_final_model, "after the folds, train the model eval and predict use on all rows"));
  s.add(ranged(f("ensemble.members", Type::Int, d.ensemble_members,
                 "networks per fit (each fold, the final model), seeds seed, seed+1, ...; predictions averaged"),
               1, 100));

  s.add(ranged(f("design.top", Type::Int, d.design_top, "predict --system: best compositions listed"), 1, 100000));
  return s;
}

}  // namespace

const std::vector<std::string>& gfa_monitors() {
  static const std::vector<std::string> monitors{"val_rmse", "val_r2", "val_mae", "val_loss", "train_loss"};
  return monitors;
}

const config::Schema& gfa_schema() {
  static const config::Schema schema = build_schema();
  return schema;
}

void check_gfa_config(const config::Json& resolved, const std::string& source) {
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
  const Json& d = c["data"];
  o.data.csv = text_or(d["csv"]);
  o.data.formula_column = text_or(d["formula_column"], "auto");
  o.data.target_column = text_or(d["target_column"], "auto");
  o.data.elements = d["elements"].get<std::vector<std::string>>();
  o.data.split = split_options(d["split"]);
  o.encoding.kind = c["encoding"]["kind"];
  o.encoding.properties = c["encoding"]["properties"].get<std::vector<std::string>>();
  o.encoding.size = c["encoding"]["size"];
  o.model = model_options(c["model"]);
  o.transfer = transfer_options(c["transfer"]);
  o.optim = optim_options(c["optim"]);
  o.schedule = schedule_options(c["schedule"]);
  o.train = train_options(c["train"]);
  const Json& l = c["loss"];
  o.loss.name = l["name"];
  o.loss.huber_delta = l["huber_delta"];
  o.loss.target_transform = l["target_transform"];
  o.loss.lds.enabled = l["lds"]["enabled"];
  o.loss.lds.bins = l["lds"]["bins"];
  o.loss.lds.kernel_size = l["lds"]["kernel_size"];
  o.loss.lds.sigma = l["lds"]["sigma"];
  o.loss.lds.reweight = l["lds"]["reweight"];
  o.mixup_alpha = c["mixup"]["alpha"];
  o.mixup_prob = c["mixup"]["prob"];
  o.cv_folds = c["cv"]["folds"];
  o.cv_final_model = c["cv"]["final_model"];
  o.ensemble_members = c["ensemble"]["members"];
  o.design_top = c["design"]["top"];
  return o;
}

}  // namespace alloyml::tasks
