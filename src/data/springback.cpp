#include "alloyml/data/springback.h"

#include <cmath>
#include <cstdio>
#include <random>

#include "alloyml/core/error.h"
#include "alloyml/core/fs.h"
#include "alloyml/core/rng.h"

namespace alloyml::data {
namespace {

// The shaft and the machine (data/springback/README.md explains each number).
constexpr double kAcrossFlats = 24.0;       // mm, regular hexagon
constexpr double kYoung = 193000.0;         // MPa, 304 stainless
constexpr double kKelvinRatio = 0.02;       // E / E_K, instantaneous over delayed compliance
constexpr double kRetardation = 2.0;        // s, tau = eta / E_K
constexpr double kPlasticGain = 0.6;        // extra delayed recovery per unit of plastic stroke
constexpr double kYield = 240.0;            // MPa
constexpr double kShapeFactor = 1.5;        // plastic over elastic limit moment, hexagon
constexpr double kHardening = 0.04;         // force gain per yield stroke beyond the limit
constexpr double kSpeed = 20.0;             // mm/s, press speed
constexpr double kFulcrums[] = {475.0, 570.0, 665.0, 760.0};

double second_moment() { return 5.0 * std::sqrt(3.0) / 144.0 * std::pow(kAcrossFlats, 4); }  // mm^4
double stiffness(double span) { return 48.0 * kYoung * second_moment() / std::pow(span, 3); }  // N/mm
double yield_force(double span) { return 4.0 * kYield * second_moment() / (kAcrossFlats / 2) / span; }  // N

std::string number(double v, int digits) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.*f", digits, v);
  return buf;
}

}  // namespace

double yield_stroke_mm(double span) { return yield_force(span) / stiffness(span); }

Straightening simulate_straightening(double stroke, double dwell, double span) {
  const double k = stiffness(span), fy = yield_force(span), dy = fy / k;
  // Elastic-plastic load-deflection of three-point bending: linear to the elastic limit, then a
  // saturating approach to the plastic-hinge force with slight hardening.
  const double over = std::max(0.0, stroke / dy - 1.0);
  const double force = stroke <= dy ? k * stroke
                                    : fy * (1.0 + (kShapeFactor - 1.0) * (1.0 - std::exp(-over / 1.5)) + kHardening * over);
  Straightening s;
  s.stroke_mm = stroke;
  s.fulcrum_mm = span;
  s.force_kN = force / 1000.0;
  s.time_s = 2.0 * stroke / kSpeed + dwell;  // down and up at the press speed, plus the dwell
  s.instant_springback_mm = force / k;       // elastic unloading
  // Kelvin element in series with the elastic beam: under load it creeps towards
  // (E / E_K) times the elastic deflection with retardation time tau; after unloading that
  // creep recovers completely, which is the saturated time-dependent springback.
  s.springback_mm = kKelvinRatio * s.instant_springback_mm * (1.0 - std::exp(-s.time_s / kRetardation)) *
                    (1.0 + kPlasticGain * over);
  return s;
}

std::vector<std::string> springback_columns(bool straightness) {
  std::vector<std::string> c{"stroke_mm", "force_kN", "time_s", "fulcrum_mm", "instant_springback_mm", "springback_mm"};
  if (straightness)
    for (const char* x : {"initial_deflection_mm", "deflection_mm", "tolerance_mm", "final_deflection_mm"}) c.push_back(x);
  return c;
}

void write_springback_csv(const std::string& path, const SpringbackSynthOptions& o) {
  std::mt19937_64 gen(derive_seed(o.seed, 0x5b));
  std::normal_distribution<double> normal(0.0, 1.0);
  auto uniform = [&](double lo, double hi) { return lo + (hi - lo) * uniform01(gen); };
  // A displacement read by the sensor: noise of its resolution, rounded to it.
  auto measured = [&](double v) { return std::round((v + o.noise_mm * normal(gen)) / o.noise_mm) * o.noise_mm; };
  std::string text;
  const auto cols = springback_columns(o.straightness);
  for (size_t i = 0; i < cols.size(); ++i) text += (i ? "," : "") + cols[i];
  text += "\n";
  for (int r = 0; r < o.rows; ++r) {
    const double span = kFulcrums[r % 4];
    const double stroke = yield_stroke_mm(span) * uniform(1.2, 3.0);
    const Straightening s = simulate_straightening(stroke, uniform(0.5, 5.0), span);
    const double instant = measured(s.instant_springback_mm);
    const double delayed = measured(s.springback_mm);
    text += number(measured(s.stroke_mm), 3) + "," + number(s.force_kN * (1 + 0.001 * normal(gen)), 3) + "," +
            number(s.time_s, 2) + "," + number(span, 0) + "," + number(instant, 3) + "," + number(delayed, 3);
    if (o.straightness) {
      // The operator aims the stroke at a straight shaft; what remains right after unloading is
      // spread around zero, and the delayed springback then bends it back towards its initial bow.
      const double residual = measured(uniform(-0.25, 0.12));
      const double initial = residual + s.stroke_mm - s.instant_springback_mm;
      const double final_deflection = measured(residual + s.springback_mm);
      text += "," + number(initial, 3) + "," + number(residual, 3) + "," + number(o.tolerance_mm, 3) + "," +
              number(final_deflection, 3);
    }
    text += "\n";
  }
  write_text_atomically(path, text);
}

std::vector<double> recovery_curve_parameters(const RecoveryCurveOptions& o, int shaft) {
  std::mt19937_64 gen(derive_seed(o.seed, 0xC0, static_cast<std::uint64_t>(shaft)));
  auto uniform = [&](double lo, double hi) { return lo + (hi - lo) * uniform01(gen); };
  const double span = kFulcrums[shaft % 4];
  const double saturated = simulate_straightening(yield_stroke_mm(span) * uniform(1.2, 3.0), uniform(0.5, 5.0), span).springback_mm;
  if (o.law == "kelvin") return {saturated, uniform(0.4, 1.0)};
  if (o.law == "kelvin2") {
    const double fast = uniform(0.6, 0.8);
    return {fast * saturated, uniform(0.1, 0.3), (1 - fast) * saturated, uniform(0.8, 1.5)};
  }
  throw InputError("recovery curves: law must be kelvin or kelvin2, got '" + o.law + "'");
}

void write_recovery_curves(const std::string& path, const RecoveryCurveOptions& o) {
  if (o.points < 1 || !(o.hours > 0) || o.shafts < 1) throw InputError("recovery curves: shafts, points and hours must be positive");
  std::string text = "shaft,time_h,springback_mm\n";
  for (int k = 0; k < o.shafts; ++k) {
    const auto p = recovery_curve_parameters(o, k);
    std::mt19937_64 noise(derive_seed(o.seed, 0xC1, static_cast<std::uint64_t>(k)));
    std::normal_distribution<double> normal(0.0, 1.0);
    for (int i = 0; i <= o.points; ++i) {
      const double t = o.hours * i / o.points;
      double v = -p[0] * std::expm1(-t / p[1]);
      if (p.size() == 4) v -= p[2] * std::expm1(-t / p[3]);
      double read = std::round((v + o.noise_mm * normal(noise)) / o.noise_mm) * o.noise_mm;
      if (read == 0) read = 0;  // no "-0.0000"
      text += "S" + std::to_string(k + 1) + "," + number(t, 4) + "," + number(read, 4) + "\n";
    }
  }
  write_text_atomically(path, text);
}

}  // namespace alloyml::data
