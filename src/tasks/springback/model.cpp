#include "alloyml/tasks/springback/model.h"

#include <cmath>

#include "alloyml/core/error.h"

namespace alloyml::tasks {

using config::Json;

double SpringbackModel::predict_with(size_t k, const double* x) const {
  const auto scaled = scaler.scale_inputs(x);
  return scaler.unscale_target(nets[k].predict(scaled.data()));
}

double SpringbackModel::predict(const double* x) const {
  if (arch == "linear") return linear.predict(x);
  if (!ensemble) return predict_with(chosen, x);
  double sum = 0;
  for (size_t k = 0; k < nets.size(); ++k) sum += predict_with(k, x);
  return sum / static_cast<double>(nets.size());
}

std::vector<double> SpringbackModel::predict(const data::Samples& s) const {
  std::vector<double> out(s.rows());
  for (size_t r = 0; r < s.rows(); ++r) out[r] = predict(s.row(r));
  return out;
}

Json SpringbackModel::to_json() const {
  Json j{{"task", "springback"},
         {"arch", arch},
         {"class_names", Json::array()},
         {"features", features},
         {"target", target},
         {"scaling", {{"x_min", scaler.x_min}, {"x_max", scaler.x_max}, {"y_min", scaler.y_min}, {"y_max", scaler.y_max}}},
         {"ensemble", ensemble},
         {"chosen", chosen}};
  if (arch == "linear") {
    j["linear"] = {{"intercept", linear.intercept}, {"coef", linear.coef},
                   {"equation", linear.equation(features, target)}};
  } else {
    j["hidden"] = nets.empty() ? 0 : nets[0].hidden();
    Json list = Json::array();
    for (const auto& n : nets) list.push_back(n.parameters());
    j["networks"] = list;
  }
  return j;
}

SpringbackModel SpringbackModel::from_json(const Json& j, const std::string& source) {
  try {
    SpringbackModel m;
    m.arch = j.at("arch").get<std::string>();
    m.features = j.at("features").get<std::vector<std::string>>();
    m.target = j.at("target").get<std::string>();
    const Json& s = j.at("scaling");
    m.scaler.x_min = s.at("x_min").get<std::vector<double>>();
    m.scaler.x_max = s.at("x_max").get<std::vector<double>>();
    m.scaler.y_min = s.at("y_min").get<double>();
    m.scaler.y_max = s.at("y_max").get<double>();
    m.ensemble = j.value("ensemble", false);
    m.chosen = j.value("chosen", size_t{0});
    if (m.arch == "linear") {
      m.linear.intercept = j.at("linear").at("intercept").get<double>();
      m.linear.coef = j.at("linear").at("coef").get<std::vector<double>>();
      if (m.linear.coef.size() != m.features.size()) throw InputError("linear.coef does not match the features");
    } else {
      const int hidden = j.at("hidden").get<int>();
      for (const auto& p : j.at("networks")) {
        classical::Mlp net(static_cast<int>(m.features.size()), hidden);
        net.set_parameters(p.get<std::vector<double>>());
        m.nets.push_back(std::move(net));
      }
      if (m.nets.empty() || m.chosen >= m.nets.size()) throw InputError("no networks");
    }
    if (m.scaler.x_min.size() != m.features.size()) throw InputError("scaling does not match the features");
    return m;
  } catch (const InputError& e) {
    throw InputError(source + ": not a valid springback model (" + e.what() + ")");
  } catch (const std::exception& e) {
    throw InputError(source + ": not a valid springback model (" + e.what() + ")");
  }
}

// ---------------------------------------------------------------------------------------------
// Straightness.

StraightnessVerdict judge_straightness(double deflection, double tolerance, double springback) {
  StraightnessVerdict v;
  v.final_deflection = deflection + springback;
  v.accept_low = -tolerance - springback;
  v.accept_high = tolerance - springback;
  v.accept = deflection >= v.accept_low && deflection <= v.accept_high;
  return v;
}

void MisjudgementCounts::add(double deflection, double tolerance, double springback, double final_deflection) {
  ++n;
  const bool truly_ok = std::abs(final_deflection) <= tolerance;
  const bool static_ok = std::abs(deflection) <= tolerance;
  const bool dynamic_ok = judge_straightness(deflection, tolerance, springback).accept;
  false_accept_static += static_ok && !truly_ok;
  false_reject_static += !static_ok && truly_ok;
  false_accept_dynamic += dynamic_ok && !truly_ok;
  false_reject_dynamic += !dynamic_ok && truly_ok;
}

}  // namespace alloyml::tasks
