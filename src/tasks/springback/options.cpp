#include "alloyml/tasks/springback/options.h"

#include "alloyml/core/error.h"
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

// Springback regression (GA-BP after the straightening paper): a CSV of straightening records.
config::Schema build_schema() {
  const SpringbackOptions d;
  config::Schema s;
  add_common_keys(s);
  s.add(nullable(f("data.csv", Type::String, nullptr, "one CSV of measurements, split by data.split")));
  s.add(nullable(f("data.train", Type::String, nullptr, "explicit training CSV (replaces the split)")));
  s.add(nullable(f("data.val", Type::String, nullptr, "explicit validation CSV")));
  s.add(nullable(f("data.test", Type::String, nullptr, "explicit test CSV")));
  s.add(f("data.features", Type::StringList,
          Json(d.data.features),
          "input columns, in order"));
  s.add(f("data.target", Type::String, d.data.target, "target column (saturated time-dependent springback)"));
  add_split_keys(s, "validation share: fraction < 1 or count >= 1", "test share: fraction < 1 or count >= 1",
                 "seed of the random split");

  s.add(one_of(f("model.name", Type::String, d.model, "gabp (GA + Levenberg-Marquardt), bp (LM only) or linear"),
               {"gabp", "bp", "linear"}));
  s.add(ranged(f("model.hidden", Type::Int, d.hidden, "hidden sigmoid units (the paper: 8 of 3..13)"), 1, 256));

  s.add(ranged(f("ga.population", Type::Int, d.ga.population, "individuals per generation"), 2, 100000));
  s.add(ranged(f("ga.generations", Type::Int, d.ga.generations, "generations"), 0, 1000000));
  s.add(ranged(f("ga.crossover", Type::Number, d.ga.crossover, "crossover probability"), 0, 1));
  s.add(ranged(f("ga.mutation", Type::Number, d.ga.mutation, "mutation probability"), 0, 1));
  s.add(ranged(f("ga.elite", Type::Int, d.ga.elite, "best individuals kept unchanged"), 0, 100000));
  s.add(ranged(f("ga.bound", Type::Number, d.ga.bound, "genes (weights) stay in [-bound, bound]"), 1e-6, 1e6));

  s.add(ranged(f("lm.epochs", Type::Int, d.lm.epochs, "Levenberg-Marquardt epochs at most"), 0, 10000000));
  s.add(ranged(f("lm.goal", Type::Number, d.lm.goal, "stop at this training MSE (target scaled to [-1, 1], as MATLAB)"), 0, {}));
  s.add(ranged(f("lm.mu", Type::Number, d.lm.mu, "initial damping"), 0, {}));
  s.add(ranged(f("lm.mu_dec", Type::Number, d.lm.mu_dec, "damping factor after a successful step"), 1e-12, 1));
  s.add(ranged(f("lm.mu_inc", Type::Number, d.lm.mu_inc, "damping factor after a failed step"), 1, {}));
  s.add(ranged(f("lm.mu_max", Type::Number, d.lm.mu_max, "stop when the damping exceeds this"), 0, {}));
  s.add(ranged(f("lm.min_grad", Type::Number, d.lm.min_grad, "stop when the gradient norm falls below this"), 0, {}));
  s.add(ranged(f("lm.max_fail", Type::Int, d.lm.max_fail, "stop after this many epochs without a better validation MSE"), 1, {}));

  s.add(ranged(f("train.repeats", Type::Int, d.repeats, "networks trained with different seeds (mean and std reported)"), 1, 10000));
  s.add(f("train.ensemble", Type::Bool, d.ensemble, "predict with the mean of the repeats (else the best on validation)"));
  s.add(f("train.compare", Type::Bool, d.compare, "also fit the other two models on the same split for the comparison"));

  s.add(ranged(f("analysis.miv_delta", Type::Number, d.miv_delta, "mean impact value: relative change of each input"), 1e-6, 1));
  s.add(ranged(f("analysis.permutations", Type::Int, d.permutations, "shuffles per input for permutation importance"), 1, 100000));

  s.add(f("straightness.deflection", Type::String, d.straightness.deflection, "predict: column of the deflection after unloading"));
  s.add(f("straightness.tolerance", Type::String, d.straightness.tolerance, "predict: column of the straightness tolerance"));
  s.add(ranged(f("straightness.default_tolerance_mm", Type::Number, d.straightness.default_tolerance_mm, "tolerance when that column is absent"), 0, {}));
  s.add(f("straightness.final_deflection", Type::String, d.straightness.final_deflection,
          "predict: column of the deflection after saturation (labelled data)"));
  return s;
}

}  // namespace

const config::Schema& springback_schema() {
  static const config::Schema schema = build_schema();
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
  const Json& d = c["data"];
  o.data.csv = text_or(d["csv"]);
  o.data.train = text_or(d["train"]);
  o.data.val = text_or(d["val"]);
  o.data.test = text_or(d["test"]);
  o.data.features = d["features"].get<std::vector<std::string>>();
  o.data.target = d["target"];
  o.data.split = split_options(d["split"]);
  o.model = c["model"]["name"];
  o.hidden = c["model"]["hidden"];
  const Json& g = c["ga"];
  o.ga.population = g["population"];
  o.ga.generations = g["generations"];
  o.ga.crossover = g["crossover"];
  o.ga.mutation = g["mutation"];
  o.ga.elite = g["elite"];
  o.ga.bound = g["bound"];
  const Json& l = c["lm"];
  o.lm.epochs = l["epochs"];
  o.lm.goal = l["goal"];
  o.lm.mu = l["mu"];
  o.lm.mu_dec = l["mu_dec"];
  o.lm.mu_inc = l["mu_inc"];
  o.lm.mu_max = l["mu_max"];
  o.lm.min_grad = l["min_grad"];
  o.lm.max_fail = l["max_fail"];
  o.repeats = c["train"]["repeats"];
  o.ensemble = c["train"]["ensemble"];
  o.compare = c["train"]["compare"];
  o.miv_delta = c["analysis"]["miv_delta"];
  o.permutations = c["analysis"]["permutations"];
  const Json& st = c["straightness"];
  o.straightness.deflection = st["deflection"];
  o.straightness.tolerance = st["tolerance"];
  o.straightness.default_tolerance_mm = st["default_tolerance_mm"];
  o.straightness.final_deflection = st["final_deflection"];
  return o;
}

}  // namespace alloyml::tasks
