#pragma once
// The springback model (the straightening paper: a GA-optimised BP network predicting the saturated
// time-dependent springback of 304 stainless hexagonal shafts, or its BP and linear baselines) as
// model.json holds it, and the dynamic straightness judgement it serves.
#include <string>
#include <vector>

#include "alloyml/classical/mlp.h"
#include "alloyml/core/config.h"
#include "alloyml/data/tabular.h"

namespace alloyml::tasks {

/// A trained springback model, as model.json holds it.
struct SpringbackModel {
  std::string arch;  ///< gabp, bp or linear
  std::vector<std::string> features;
  std::string target;
  data::MinMaxScaler scaler;
  std::vector<classical::Mlp> nets;  ///< one per repeat (networks only)
  size_t chosen = 0;                 ///< the repeat used without `ensemble` (best validation MSE)
  bool ensemble = false;             ///< predict with the mean of all repeats
  classical::LinearModel linear;     ///< arch "linear" (raw units)

  /// Prediction in the target's units from one row of raw inputs.
  double predict(const double* inputs) const;
  std::vector<double> predict(const data::Samples& s) const;
  /// Prediction of one repeat's network alone.
  double predict_with(size_t net, const double* inputs) const;

  config::Json to_json() const;
  /// Throws InputError naming `source` when the JSON is not a springback model.
  static SpringbackModel from_json(const config::Json& j, const std::string& source);
};

/// The dynamic straightness judgement of one shaft. Deflections are signed, positive towards the
/// shaft's initial bow; the time-dependent springback moves the shaft back that way, so the
/// deflection after saturation is `deflection + springback` and the shaft is accepted when that
/// lies within +-tolerance, i.e. when the measured deflection is within the shifted interval
/// [-tolerance - springback, tolerance - springback].
struct StraightnessVerdict {
  double final_deflection = 0;
  double accept_low = 0, accept_high = 0;
  bool accept = false;
};
StraightnessVerdict judge_straightness(double deflection, double tolerance, double predicted_springback);

/// Misjudgements on labelled shafts (known deflection after saturation): a false accept passes a
/// shaft that ends out of tolerance (the paper's range 2), a false reject sends back one that
/// would have ended within it (range 3). "static" judges the deflection right after unloading,
/// "dynamic" the predicted deflection after saturation.
struct MisjudgementCounts {
  int n = 0;
  int false_accept_static = 0, false_reject_static = 0;
  int false_accept_dynamic = 0, false_reject_dynamic = 0;
  void add(double deflection, double tolerance, double predicted_springback, double final_deflection);
};

}  // namespace alloyml::tasks
