#pragma once
// Synthetic straightening measurements for the springback method, derived from the straightening
// paper's Kelvin viscoelastic analysis of three-point bending of 304 stainless hexagonal shafts.
// The equations and assumptions are in data/springback/README.md; the default data set of the
// configs is made by this generator (the paper's measured tables are not published with it).
#include <cstdint>
#include <string>
#include <vector>

namespace alloyml::data {

struct SpringbackSynthOptions {
  int rows = 240;
  std::uint64_t seed = 0;
  bool straightness = false;  ///< also write deflection, tolerance and the deflection after saturation
  double tolerance_mm = 0.05; ///< straightness tolerance written with `straightness`
  double noise_mm = 0.001;    ///< displacement sensor resolution (and noise sigma)
};

/// One straightening: the inputs of the method and what follows from them.
struct Straightening {
  double stroke_mm = 0, force_kN = 0, time_s = 0, fulcrum_mm = 0, instant_springback_mm = 0;
  double springback_mm = 0;  ///< saturated time-dependent springback (the target)
};

/// The noise-free model: stroke (mm), dwell at full stroke (s) and fulcrum distance (mm) in,
/// force, straightening time, instantaneous and saturated time-dependent springback out.
Straightening simulate_straightening(double stroke_mm, double dwell_s, double fulcrum_mm);

/// The elastic limit stroke (mm) of the default shaft at a fulcrum distance.
double yield_stroke_mm(double fulcrum_mm);

/// The column names the generator writes (and the springback configs read by default).
std::vector<std::string> springback_columns(bool straightness);

/// Writes `options.rows` noisy measurements as CSV to `path` (atomically).
void write_springback_csv(const std::string& path, const SpringbackSynthOptions& options);

/// Recovery curves: the time-dependent springback of each shaft read after unloading, as the
/// straightening paper measured it for 4 hours (Section 3.3) to extrapolate the saturated value.
struct RecoveryCurveOptions {
  int shafts = 8;
  double hours = 4.0;          ///< readings from unloading to this time
  int points = 25;             ///< readings per shaft, evenly spaced over (0, hours], plus one at 0
  std::string law = "kelvin";  ///< "kelvin" (tau 0.4-1 h) or "kelvin2" (a fast element, tau1 0.1-0.3 h, and a slow one, tau2 0.8-1.5 h)
  std::uint64_t seed = 0;
  double noise_mm = 0.001;     ///< sensor resolution (and noise sigma)
};

/// The true (noise-free) curve of shaft `shaft` under `options`: law parameters as
/// classical::SaturationFit::params (times in hours), drawn from the seed and the shaft alone, so
/// curves written with other `hours` or `points` belong to the same shafts.
std::vector<double> recovery_curve_parameters(const RecoveryCurveOptions& options, int shaft);

/// Writes shaft,time_h,springback_mm rows (atomically).
void write_recovery_curves(const std::string& path, const RecoveryCurveOptions& options);

}  // namespace alloyml::data
