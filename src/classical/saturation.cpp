#include "alloyml/classical/saturation.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "alloyml/classical/optimize.h"
#include "alloyml/core/error.h"

namespace alloyml::classical {
namespace {

size_t param_count(SaturationLaw law) { return law_parameter_names(law).size(); }

// The optimiser's coordinates: time constants as logarithms.
bool is_time_constant(SaturationLaw law, size_t i) {
  return law == SaturationLaw::Log ? i == 2 : i % 2 == 1;
}

std::vector<double> to_params(SaturationLaw law, std::vector<double> x) {
  for (size_t i = 0; i < x.size(); ++i)
    if (is_time_constant(law, i)) x[i] = std::exp(x[i]);
  return x;
}

double sse(SaturationLaw law, const std::vector<double>& params, const std::vector<double>& t, const std::vector<double>& s) {
  double e = 0;
  for (size_t i = 0; i < t.size(); ++i) {
    const double d = saturation_value(law, params, t[i]) - s[i];
    e += d * d;
  }
  return std::isfinite(e) ? e : std::numeric_limits<double>::infinity();
}

// Amplitudes (the linear parameters) for fixed time constants: least squares on the basis
// functions, solved with the normal equations (1 or 2 unknowns, or 2 for Log's a and b).
std::vector<double> linear_amplitudes(const std::vector<std::vector<double>>& basis, const std::vector<double>& s) {
  const size_t k = basis.size();
  std::vector<double> a(k * k, 0.0), b(k, 0.0), x;
  for (size_t i = 0; i < k; ++i) {
    for (size_t j = 0; j < k; ++j)
      for (size_t n = 0; n < s.size(); ++n) a[i * k + j] += basis[i][n] * basis[j][n];
    for (size_t n = 0; n < s.size(); ++n) b[i] += basis[i][n] * s[n];
    a[i * k + i] += 1e-12;
  }
  if (!solve_spd(a, b, k, x)) return std::vector<double>(k, 0.0);
  return x;
}

// The starting point: the best of a log-spaced grid of time constants, amplitudes solved linearly.
std::vector<double> grid_start(SaturationLaw law, const std::vector<double>& t, const std::vector<double>& s) {
  double t_min = std::numeric_limits<double>::infinity(), t_max = 0;
  for (double v : t) {
    if (v > 0) t_min = std::min(t_min, v);
    t_max = std::max(t_max, v);
  }
  std::vector<double> taus;
  for (double tau = t_min / 4; tau <= 3 * t_max; tau *= 1.25) taus.push_back(tau);
  auto phi = [&](double tau) {
    std::vector<double> v(t.size());
    for (size_t i = 0; i < t.size(); ++i) v[i] = law == SaturationLaw::Log ? std::log1p(t[i] / tau) : -std::expm1(-t[i] / tau);
    return v;
  };
  std::vector<double> best;
  double best_e = std::numeric_limits<double>::infinity();
  auto consider = [&](std::vector<double> p) {
    const double e = sse(law, p, t, s);
    if (e < best_e) best_e = e, best = std::move(p);
  };
  for (size_t i = 0; i < taus.size(); ++i) {
    if (law == SaturationLaw::Kelvin) {
      consider({linear_amplitudes({phi(taus[i])}, s)[0], taus[i]});
    } else if (law == SaturationLaw::Log) {
      const auto ab = linear_amplitudes({std::vector<double>(t.size(), 1.0), phi(taus[i])}, s);
      consider({ab[0], ab[1], taus[i]});
    } else {
      for (size_t j = i + 2; j < taus.size(); j += 2) {
        const auto a = linear_amplitudes({phi(taus[i]), phi(taus[j])}, s);
        consider({a[0], taus[i], a[1], taus[j]});
      }
    }
  }
  for (size_t i = 0; i < best.size(); ++i)
    if (is_time_constant(law, i)) best[i] = std::log(best[i]);
  return best;
}

}  // namespace

std::vector<std::string> law_parameter_names(SaturationLaw law) {
  switch (law) {
    case SaturationLaw::Kelvin: return {"a", "tau"};
    case SaturationLaw::Kelvin2: return {"a1", "tau1", "a2", "tau2"};
    case SaturationLaw::Log: return {"a", "b", "t0"};
  }
  return {};
}

SaturationLaw saturation_law(const std::string& name) {
  if (name == "kelvin") return SaturationLaw::Kelvin;
  if (name == "kelvin2") return SaturationLaw::Kelvin2;
  if (name == "log") return SaturationLaw::Log;
  throw InputError("unknown saturation law '" + name + "'; valid: kelvin, kelvin2, log");
}

std::string law_name(SaturationLaw law) {
  return law == SaturationLaw::Kelvin ? "kelvin" : law == SaturationLaw::Kelvin2 ? "kelvin2" : "log";
}

double saturation_value(SaturationLaw law, const std::vector<double>& p, double t) {
  switch (law) {
    case SaturationLaw::Kelvin: return -p[0] * std::expm1(-t / p[1]);
    case SaturationLaw::Kelvin2: return -p[0] * std::expm1(-t / p[1]) - p[2] * std::expm1(-t / p[3]);
    case SaturationLaw::Log: return p[0] + p[1] * std::log1p(t / p[2]);
  }
  return 0;
}

double SaturationFit::value(double t) const { return saturation_value(law, params, t); }

SaturationFit fit_saturation(const std::vector<double>& t, const std::vector<double>& s, SaturationLaw law,
                             double horizon) {
  const size_t p = param_count(law);
  if (t.size() != s.size()) throw Error("fit_saturation: times and values differ in length");
  if (t.size() < p + 1)
    throw InputError(std::to_string(t.size()) + " readings for the " + std::to_string(p) + " parameters of the " +
                     law_name(law) + " law; need at least " + std::to_string(p + 1));
  const auto [lo, hi] = std::minmax_element(t.begin(), t.end());
  if (!(*hi > *lo) || *lo < 0) throw InputError("the reading times must be >= 0 and span an interval");
  if (!(horizon > 0)) throw InputError("the horizon must be positive");

  // Levenberg-Marquardt on the log-time coordinates, with a numerical Jacobian. A time constant far
  // beyond the last reading is not determined by the readings (a slow element then trades amplitude
  // for time constant without changing the fit), so each is kept within [first step / 4, 3 x last time].
  double first_step = *hi;
  for (double v : t)
    if (v > 0) first_step = std::min(first_step, v);
  const double log_lo = std::log(first_step / 4), log_hi = std::log(3 * *hi);
  auto bound = [&](std::vector<double>& x) {
    for (size_t k = 0; k < x.size(); ++k)
      if (is_time_constant(law, k)) x[k] = std::clamp(x[k], log_lo, log_hi);
  };
  std::vector<double> x = grid_start(law, t, s);
  bound(x);
  double err = sse(law, to_params(law, x), t, s), mu = 1e-3;
  int it = 0;
  for (; it < 500 && mu < 1e12; ++it) {
    std::vector<double> e(t.size()), jac(t.size() * p);
    const auto params = to_params(law, x);
    for (size_t n = 0; n < t.size(); ++n) e[n] = saturation_value(law, params, t[n]) - s[n];
    for (size_t k = 0; k < p; ++k) {
      const double h = 1e-6 * std::max(1.0, std::abs(x[k]));
      auto up = x, down = x;
      up[k] += h;
      down[k] -= h;
      const auto pu = to_params(law, up), pd = to_params(law, down);
      for (size_t n = 0; n < t.size(); ++n)
        jac[n * p + k] = (saturation_value(law, pu, t[n]) - saturation_value(law, pd, t[n])) / (2 * h);
    }
    bool improved = false;
    while (mu < 1e12) {
      std::vector<double> dx;
      if (lm_step(jac, e, p, mu, dx)) {
        auto trial = x;
        for (size_t k = 0; k < p; ++k) trial[k] += dx[k];
        bound(trial);
        const double trial_err = sse(law, to_params(law, trial), t, s);
        if (trial_err < err) {
          const double gain = err - trial_err;
          x = trial;
          err = trial_err;
          mu = std::max(mu * 0.1, 1e-12);
          improved = true;
          if (gain <= 1e-14 * std::max(err, 1e-30)) mu = 1e12;  // converged
          break;
        }
      }
      mu *= 10;
    }
    if (!improved) break;
  }

  SaturationFit f;
  f.law = law;
  f.params = to_params(law, x);
  if (law == SaturationLaw::Kelvin2 && f.params[1] > f.params[3]) {
    std::swap(f.params[0], f.params[2]);
    std::swap(f.params[1], f.params[3]);
  }
  f.param_names = law_parameter_names(law);
  for (size_t k = 0; k < p; ++k)
    if (is_time_constant(law, k) && x[k] >= log_hi - 1e-9) f.at_bound = f.param_names[k];
  f.rmse = std::sqrt(err / static_cast<double>(t.size()));
  f.iterations = it;
  f.at_horizon = f.value(horizon);
  f.saturated = law == SaturationLaw::Kelvin    ? f.params[0]
                : law == SaturationLaw::Kelvin2 ? f.params[0] + f.params[2]
                                                : f.at_horizon;
  // 99 % of saturation: closed form for one element, bisection otherwise (s rises monotonically
  // when the amplitudes share a sign; else the first crossing on a fine scan).
  if (law == SaturationLaw::Kelvin) {
    f.t99 = f.params[1] * std::log(100.0);
  } else {
    const double target = 0.99 * f.saturated;
    const double end = law == SaturationLaw::Log ? horizon : 50 * std::max(f.params[1], f.params[3]);
    double a = 0, b = end;
    const bool rising = f.saturated >= f.value(0);
    auto reached = [&](double tt) { return rising ? f.value(tt) >= target : f.value(tt) <= target; };
    if (!reached(b)) {
      f.t99 = std::nan("");
    } else {
      for (int k = 0; k < 200; ++k) {
        const double m = 0.5 * (a + b);
        (reached(m) ? b : a) = m;
      }
      f.t99 = b;
    }
  }
  return f;
}

}  // namespace alloyml::classical
