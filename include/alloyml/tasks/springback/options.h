#pragma once
// The config of springback regression (task "springback") as typed options: the schema takes its
// defaults from these structs, and the pipeline receives them instead of the JSON.
#include <cstdint>
#include <string>
#include <vector>

#include "alloyml/classical/optimize.h"
#include "alloyml/core/config.h"
#include "alloyml/core/option_keys.h"
#include "alloyml/tasks/config.h"
#include "alloyml/data/options.h"

namespace alloyml::tasks {

struct SpringbackDataOptions {
  /// One CSV of measurements, split by `split`; or explicit CSVs (train replaces the split).
  std::string csv, train, val, test;
  /// Input columns, in order.
  std::vector<std::string> features{"stroke_mm", "force_kN", "time_s", "fulcrum_mm", "instant_springback_mm"};
  /// Target column (the saturated time-dependent springback).
  std::string target = "springback_mm";
  data::SplitOptions split;
};

/// Columns alloyml-predict reads for the dynamic straightness judgement.
struct StraightnessOptions {
  std::string deflection = "deflection_mm";        ///< deflection after unloading
  std::string tolerance = "tolerance_mm";          ///< the straightness tolerance
  double default_tolerance_mm = 0.05;              ///< when that column is absent
  std::string final_deflection = "final_deflection_mm";  ///< after saturation (labelled data)
};

struct SpringbackOptions : CommonOptions {
  SpringbackDataOptions data;
  /// "gabp" (GA + Levenberg-Marquardt), "bp" (LM only) or "linear". Default "gabp".
  std::string model = "gabp";
  /// Hidden sigmoid units (the paper: 8 of 3..13). Default 8.
  int hidden = 8;
  classical::GaOptions ga;
  classical::LmOptions lm;
  /// Networks trained with different seeds (mean and std reported). Default 1.
  int repeats = 1;
  /// Predict with the mean of the repeats (else the best on validation). Default false.
  bool ensemble = false;
  /// Also fit the other two models on the same split for the comparison. Default true.
  bool compare = true;
  /// Mean impact value: relative change of each input. Default 0.1.
  double miv_delta = 0.1;
  /// Shuffles per input for permutation importance. Default 10.
  int permutations = 10;
  StraightnessOptions straightness;
};

/// The springback task's own keys (dotted: section.key); the common keys and data.split come from
/// tasks/schema_parts.h.
template <class V>
void visit_keys(V& v, SpringbackOptions& o) {
  using options::key;
  v(o.data.csv, key("data.csv", "one CSV of measurements, split by data.split").null_when_empty());
  v(o.data.train, key("data.train", "explicit training CSV (replaces the split)").null_when_empty());
  v(o.data.val, key("data.val", "explicit validation CSV").null_when_empty());
  v(o.data.test, key("data.test", "explicit test CSV").null_when_empty());
  v(o.data.features, key("data.features", "input columns, in order"));
  v(o.data.target, key("data.target", "target column (saturated time-dependent springback)"));
  v(o.model, key("model.name", "gabp (GA + Levenberg-Marquardt), bp (LM only) or linear").one_of({"gabp", "bp", "linear"}));
  v(o.hidden, key("model.hidden", "hidden sigmoid units (the paper: 8 of 3..13)").range(1, 256));
  v(o.ga.population, key("ga.population", "individuals per generation").range(2, 100000));
  v(o.ga.generations, key("ga.generations", "generations").range(0, 1000000));
  v(o.ga.crossover, key("ga.crossover", "crossover probability").range(0, 1));
  v(o.ga.mutation, key("ga.mutation", "mutation probability").range(0, 1));
  v(o.ga.elite, key("ga.elite", "best individuals kept unchanged").range(0, 100000));
  v(o.ga.bound, key("ga.bound", "genes (weights) stay in [-bound, bound]").range(1e-6, 1e6));
  v(o.lm.epochs, key("lm.epochs", "Levenberg-Marquardt epochs at most").range(0, 10000000));
  v(o.lm.goal, key("lm.goal", "stop at this training MSE (target scaled to [-1, 1], as MATLAB)").at_least(0));
  v(o.lm.mu, key("lm.mu", "initial damping").at_least(0));
  v(o.lm.mu_dec, key("lm.mu_dec", "damping factor after a successful step").range(1e-12, 1));
  v(o.lm.mu_inc, key("lm.mu_inc", "damping factor after a failed step").at_least(1));
  v(o.lm.mu_max, key("lm.mu_max", "stop when the damping exceeds this").at_least(0));
  v(o.lm.min_grad, key("lm.min_grad", "stop when the gradient norm falls below this").at_least(0));
  v(o.lm.max_fail, key("lm.max_fail", "stop after this many epochs without a better validation MSE").at_least(1));
  v(o.repeats, key("train.repeats", "networks trained with different seeds (mean and std reported)").range(1, 10000));
  v(o.ensemble, key("train.ensemble", "predict with the mean of the repeats (else the best on validation)"));
  v(o.compare, key("train.compare", "also fit the other two models on the same split for the comparison"));
  v(o.miv_delta, key("analysis.miv_delta", "mean impact value: relative change of each input").range(1e-6, 1));
  v(o.permutations, key("analysis.permutations", "shuffles per input for permutation importance").range(1, 100000));
  v(o.straightness.deflection, key("straightness.deflection", "predict: column of the deflection after unloading"));
  v(o.straightness.tolerance, key("straightness.tolerance", "predict: column of the straightness tolerance"));
  v(o.straightness.default_tolerance_mm,
    key("straightness.default_tolerance_mm", "tolerance when that column is absent").at_least(0));
  v(o.straightness.final_deflection,
    key("straightness.final_deflection", "predict: column of the deflection after saturation (labelled data)"));
}

const config::Schema& springback_schema();
void check_springback_config(const config::Json& resolved, const std::string& source);
SpringbackOptions springback_options(const config::Json& resolved);

}  // namespace alloyml::tasks
