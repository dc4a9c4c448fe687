#pragma once
// Saturation curves of time-dependent springback. The straightening paper (Section 3.3) measured
// the springback of each shaft for 4 hours after unloading and took the label, the saturated
// springback, from a curve fitted to those readings and extrapolated to 10 days. A user has the
// readings; these fits give the saturated value, how well the curve fits and when it saturates.
#include <string>
#include <vector>

namespace alloyml::classical {

/// The laws a recovery curve s(t) can be fitted with (t >= 0 after unloading).
enum class SaturationLaw {
  /// One Kelvin (Voigt) element: s = a (1 - exp(-t / tau)). Saturates at a.
  Kelvin,
  /// Two Kelvin elements in series: s = a1 (1 - exp(-t / tau1)) + a2 (1 - exp(-t / tau2)), tau1 <= tau2.
  /// Saturates at a1 + a2.
  Kelvin2,
  /// Logarithmic creep recovery: s = a + b ln(1 + t / t0). Never saturates: its "saturated" value
  /// is the value at the horizon.
  Log,
};

/// The names of a law's parameters, in the order of SaturationFit::params.
std::vector<std::string> law_parameter_names(SaturationLaw law);

/// "kelvin", "kelvin2" or "log"; InputError for another name.
SaturationLaw saturation_law(const std::string& name);
std::string law_name(SaturationLaw law);

struct SaturationFit {
  SaturationLaw law = SaturationLaw::Kelvin;
  /// Kelvin: {a, tau}; Kelvin2: {a1, tau1, a2, tau2}; Log: {a, b, t0}. Times in the data's unit.
  std::vector<double> params;
  std::vector<std::string> param_names;
  double rmse = 0;       ///< of the fit over the readings
  double saturated = 0;  ///< the asymptote (Kelvin laws) or the value at the horizon (Log)
  double at_horizon = 0; ///< s(horizon)
  double t99 = 0;        ///< first time at which s reaches 99 % of `saturated`
  int iterations = 0;    ///< Levenberg-Marquardt iterations
  /// The time constant that ended at its upper bound ("" when none did): the readings do not
  /// determine it, so the saturated value is an extrapolation beyond what was measured.
  std::string at_bound;
  double value(double t) const;
};

/// s(t) of a law with parameters as in SaturationFit::params.
double saturation_value(SaturationLaw law, const std::vector<double>& params, double t);

/// Least-squares fit of `law` to readings (t_i, s_i): a grid over the time constants, with the
/// amplitudes solved linearly at each grid point, then Levenberg-Marquardt on every parameter
/// (time constants in log space, so they stay positive, and within [first reading time / 4, 3 x
/// last reading time]: a longer one is not determined by the readings). `horizon` (same unit as t) is where Log
/// saturates and what `at_horizon` reports. InputError when there are fewer readings than
/// parameters plus one, or when the times do not span an interval.
SaturationFit fit_saturation(const std::vector<double>& t, const std::vector<double>& s, SaturationLaw law,
                             double horizon);

}  // namespace alloyml::classical
