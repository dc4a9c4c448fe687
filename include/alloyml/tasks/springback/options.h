#pragma once
// The config of springback regression (task "springback") as typed options: the schema takes its
// defaults from these structs, and the pipeline receives them instead of the JSON.
#include <cstdint>
#include <string>
#include <vector>

#include "alloyml/classical/optimize.h"
#include "alloyml/core/config.h"
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

const config::Schema& springback_schema();
void check_springback_config(const config::Json& resolved, const std::string& source);
SpringbackOptions springback_options(const config::Json& resolved);

}  // namespace alloyml::tasks
