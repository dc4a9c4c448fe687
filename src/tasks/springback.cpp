// alloyml-train / -eval / -predict for springback regression: GA-BP after the straightening paper
// (GA over the initial weights, Levenberg-Marquardt training), its BP and linear baselines, the
// factor analysis and the dynamic straightness judgement.
#include "alloyml/tasks/springback.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <map>
#include <numeric>
#include <optional>
#include <sstream>

#include <spdlog/spdlog.h>

#include "alloyml/classical/optimize.h"
#include "alloyml/core/csv.h"
#include "alloyml/core/error.h"
#include "alloyml/core/fs.h"
#include "alloyml/core/log.h"
#include "alloyml/core/rng.h"
#include "alloyml/core/signals.h"
#include "alloyml/core/text.h"
#include "alloyml/data/springback.h"
#include "alloyml/eval/importance.h"
#include "alloyml/eval/metrics.h"
#include "alloyml/eval/metrics_io.h"
#include "alloyml/tasks/report.h"
#include "alloyml/train/callbacks.h"
#include "alloyml/train/regression.h"

namespace fs = std::filesystem;
using alloyml::config::Json;

namespace alloyml::tasks {

// ---------------------------------------------------------------------------------------------
// The model.

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

std::vector<double> SpringbackModel::predict(const classical::Samples& s) const {
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

namespace {

// ---------------------------------------------------------------------------------------------
// Data and split.

struct Dataset {
  classical::Samples all;
  std::vector<std::string> source;  ///< file of each sample
  std::vector<size_t> row;          ///< its data row in that file
  std::vector<size_t> train, val, test;
};

void append(Dataset& d, const data::NumericTable& t, std::vector<size_t>* part) {
  if (d.all.rows() == 0) d.all.cols = t.samples.cols;
  for (size_t r = 0; r < t.samples.rows(); ++r) {
    if (part) part->push_back(d.all.rows());
    d.all.add(std::vector<double>(t.samples.row(r), t.samples.row(r) + t.samples.cols), t.samples.y[r]);
    d.source.push_back(t.path);
    d.row.push_back(t.rows[r]);
  }
}

// Random split of `indices` into train / val / test by fractions or counts.
void random_split(std::vector<size_t> indices, double val, double test, std::uint64_t seed, Dataset& d,
                  const std::string& source) {
  auto s = train::random_row_split(std::move(indices), val, test, seed, source);
  d.train = std::move(s.train);
  d.val = std::move(s.val);
  d.test = std::move(s.test);
}

Dataset load_dataset(const Json& cfg) {
  const Json& d = cfg["data"];
  const auto features = d["features"].get<std::vector<std::string>>();
  const std::string target = d["target"];
  const auto split = d["split"];
  Dataset ds;
  if (d["train"].is_null()) {  // one CSV, split here (explicit files win, as data.train over data.root)
    append(ds, data::read_numeric_table(d["csv"], features, target), nullptr);
    std::vector<size_t> all(ds.all.rows());
    std::iota(all.begin(), all.end(), 0);
    random_split(all, split["val"], split["test"], split["seed"], ds, d["csv"]);
    return ds;
  }
  std::vector<size_t> train;
  append(ds, data::read_numeric_table(d["train"], features, target), &train);
  if (d["val"].is_null()) {
    random_split(train, split["val"], 0.0, split["seed"], ds, d["train"]);
  } else {
    ds.train = train;
    append(ds, data::read_numeric_table(d["val"], features, target), &ds.val);
  }
  if (!d["test"].is_null()) append(ds, data::read_numeric_table(d["test"], features, target), &ds.test);
  return ds;
}

// "train", "val" or "test" for every sample.
std::vector<const char*> split_names(const Dataset& d) {
  std::vector<const char*> part(d.all.rows(), "");
  for (size_t i : d.train) part[i] = "train";
  for (size_t i : d.val) part[i] = "val";
  for (size_t i : d.test) part[i] = "test";
  return part;
}

void write_split_csv(const std::string& path, const Dataset& d) {
  const auto part = split_names(d);
  std::string text = "source,row,split\n";
  for (size_t i = 0; i < d.all.rows(); ++i)
    text += csv_escape(d.source[i]) + "," + std::to_string(d.row[i]) + "," + part[i] + "\n";
  write_text_atomically(path, text);
}

// ---------------------------------------------------------------------------------------------
// Fitting.

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

classical::GaOptions ga_options(const Json& g) {
  classical::GaOptions o;
  o.population = g["population"];
  o.generations = g["generations"];
  o.crossover = g["crossover"];
  o.mutation = g["mutation"];
  o.elite = g["elite"];
  o.bound = g["bound"];
  return o;
}

classical::LmOptions lm_options(const Json& l) {
  classical::LmOptions o;
  o.epochs = l["epochs"];
  o.goal = l["goal"];
  o.mu = l["mu"];
  o.mu_dec = l["mu_dec"];
  o.mu_inc = l["mu_inc"];
  o.mu_max = l["mu_max"];
  o.min_grad = l["min_grad"];
  o.max_fail = l["max_fail"];
  return o;
}

// One trained repeat of a network model, with what the report draws.
struct Repeat {
  std::vector<double> parameters;
  std::vector<classical::GaGeneration> ga;
  std::vector<classical::LmEpoch> lm;
  std::string stop_reason;
  double val_mse = 0;  ///< scaled, at the kept weights
  double fit_s = 0;
};

Json to_json(const Repeat& r) {
  Json ga = Json::array(), lm = Json::array();
  for (const auto& g : r.ga) ga.push_back({g.generation, g.best, g.mean});
  for (const auto& e : r.lm) lm.push_back({e.epoch, e.perf, std::isfinite(e.val_perf) ? Json(e.val_perf) : Json(), e.mu, e.gradient});
  return {{"parameters", r.parameters}, {"ga", ga}, {"lm", lm}, {"stop_reason", r.stop_reason},
          {"val_mse", std::isfinite(r.val_mse) ? Json(r.val_mse) : Json()}, {"fit_s", r.fit_s}};
}

Repeat repeat_from_json(const Json& j) {
  Repeat r;
  r.parameters = j.at("parameters").get<std::vector<double>>();
  for (const auto& g : j.at("ga")) r.ga.push_back({g[0].get<int>(), g[1].get<double>(), g[2].get<double>()});
  for (const auto& e : j.at("lm"))
    r.lm.push_back({e[0].get<int>(), e[1].get<double>(), e[2].is_null() ? std::nan("") : e[2].get<double>(),
                    e[3].get<double>(), e[4].get<double>()});
  r.stop_reason = j.at("stop_reason").get<std::string>();
  r.val_mse = j.at("val_mse").is_null() ? std::nan("") : j.at("val_mse").get<double>();
  r.fit_s = j.at("fit_s").get<double>();
  return r;
}

Repeat fit_network(const std::string& arch, const classical::Samples& train, const classical::Samples& val,
                   const Json& cfg, std::uint64_t seed) {
  const auto t0 = std::chrono::steady_clock::now();
  classical::Mlp net(static_cast<int>(train.cols), cfg["model"]["hidden"].get<int>());
  Repeat r;
  if (arch == "gabp") {
    // Fitness: RMSE of the network on the (scaled) training data.
    classical::Mlp probe = net;
    auto fitness = [&](const std::vector<double>& genes) {
      probe.parameters() = genes;
      return std::sqrt(probe.mse(train));
    };
    auto ga = classical::minimize_ga(fitness, net.parameter_count(), ga_options(cfg["ga"]), seed);
    net.set_parameters(ga.best);
    r.ga = std::move(ga.history);
  } else {
    net.init_random(seed);
  }
  const auto lm = classical::train_levenberg_marquardt(net, train, val.rows() ? &val : nullptr, lm_options(cfg["lm"]));
  r.parameters = net.parameters();
  r.lm = lm.history;
  r.stop_reason = lm.stop_reason;
  r.val_mse = val.rows() ? net.mse(val) : std::nan("");
  r.fit_s = seconds_since(t0);
  return r;
}

// What a fitted model of one kind brings to the summary and the report.
struct Fitted {
  SpringbackModel model;
  std::vector<Repeat> repeats;  ///< networks only
  double fit_s = 0;             ///< all repeats
};

// Fits `arch` on the split; network repeats already in `state` (a resumed run) are kept, each
// new one is saved there atomically before the next starts.
Fitted fit_model(const std::string& arch, const Dataset& d, const data::MinMaxScaler& scaler, const Json& cfg,
                 Json& state, const std::string& state_path, bool quiet) {
  Fitted f;
  auto& m = f.model;
  m.arch = arch;
  m.features = cfg["data"]["features"].get<std::vector<std::string>>();
  m.target = cfg["data"]["target"];
  m.scaler = scaler;
  m.ensemble = cfg["train"]["ensemble"];
  const auto train = d.all.subset(d.train);
  if (arch == "linear") {
    const auto t0 = std::chrono::steady_clock::now();
    try {
      m.linear = classical::fit_linear(train);
    } catch (const std::invalid_argument& e) {
      throw InputError(std::string("the training data: ") + e.what());
    }
    f.fit_s = seconds_since(t0);
    return f;
  }
  const auto train_s = scaler.apply(train);
  const auto val_s = scaler.apply(d.all.subset(d.val));
  const int repeats = cfg["train"]["repeats"];
  Json& done = state[arch];
  if (!done.is_array()) done = Json::array();
  for (const auto& r : done) f.repeats.push_back(repeat_from_json(r));
  for (int k = static_cast<int>(f.repeats.size()); k < repeats; ++k) {
    if (stop_requested()) throw Interrupted("interrupted; " + std::to_string(k) + " of " + std::to_string(repeats) + " " +
                                            arch + " repeats are saved, continue with --resume");
    const std::uint64_t seed = derive_seed(cfg["seed"].get<std::uint64_t>(), arch == "gabp" ? 0x6AB : 0xB9, static_cast<std::uint64_t>(k));
    f.repeats.push_back(fit_network(arch, train_s, val_s, cfg, seed));
    done.push_back(to_json(f.repeats.back()));
    config::write_json_file(state_path, state);
    if (!quiet && repeats > 1)
      spdlog::info("{} repeat {}/{}: {} after {} LM epochs, {:.2f} s", arch, k + 1, repeats, f.repeats.back().stop_reason,
                   f.repeats.back().lm.size() - 1, f.repeats.back().fit_s);
  }
  for (const auto& r : f.repeats) {
    classical::Mlp net(static_cast<int>(train.cols), cfg["model"]["hidden"].get<int>());
    net.set_parameters(r.parameters);
    m.nets.push_back(std::move(net));
    f.fit_s += r.fit_s;
  }
  // Without an ensemble, predict with the repeat that did best on validation (never on test).
  for (size_t k = 1; k < f.repeats.size(); ++k)
    if (f.repeats[k].val_mse < f.repeats[m.chosen].val_mse) m.chosen = k;
  return f;
}

eval::RegressionMetrics metrics_on(const std::vector<double>& predicted, const Dataset& d, const std::vector<size_t>& idx) {
  std::vector<double> t, p;
  for (size_t i : idx) {
    t.push_back(d.all.y[i]);
    p.push_back(predicted[i]);
  }
  return eval::regression_metrics(t, p);
}

std::vector<size_t> all_of(const Dataset& d) {
  std::vector<size_t> v(d.all.rows());
  std::iota(v.begin(), v.end(), 0);
  return v;
}

Json split_metrics(const std::vector<double>& predicted, const Dataset& d) {
  Json j = Json::object();
  for (const auto& [name, idx] : {std::pair<const char*, std::vector<size_t>>{"train", d.train}, {"val", d.val},
                                  {"test", d.test}, {"all", all_of(d)}})
    if (!idx.empty()) j[name] = eval::to_json(metrics_on(predicted, d, idx));
  return j;
}

// Mean and standard deviation of each metric over the repeats' single networks.
Json repeat_statistics(const Fitted& f, const Dataset& d) {
  std::map<std::string, std::vector<double>> values;
  for (size_t k = 0; k < f.model.nets.size(); ++k) {
    std::vector<double> p(d.all.rows());
    for (size_t i = 0; i < p.size(); ++i) p[i] = f.model.predict_with(k, d.all.row(i));
    for (const auto& [name, idx] : {std::pair<const char*, const std::vector<size_t>*>{"train", &d.train},
                                    {"val", &d.val}, {"test", &d.test}}) {
      if (idx->empty()) continue;
      const auto m = metrics_on(p, d, *idx);
      for (const auto& [metric, v] : {std::pair<const char*, double>{"rmse", m.rmse}, {"mae", m.mae}, {"r2", m.r2}, {"r", m.r}})
        values[std::string(name) + "_" + metric].push_back(v);
    }
  }
  Json j = Json::object();
  for (const auto& [key, v] : values) {
    double mean = 0, var = 0;
    for (double x : v) mean += x / static_cast<double>(v.size());
    for (double x : v) var += (x - mean) * (x - mean) / static_cast<double>(std::max<size_t>(1, v.size() - 1));
    j[key] = {{"mean", mean}, {"std", v.size() > 1 ? std::sqrt(var) : 0.0}};
  }
  return j;
}

// Fewer rows than parameters: linear least squares has no unique solution, so that stays an error.
// Levenberg-Marquardt still runs, since its damping keeps J'J + mu I invertible (MATLAB's trainlm, which
// the straightening paper used on 28 rows for 57 weights), so a network only gets a warning.
void check_rows(const std::string& arch, const Dataset& d, const Json& cfg, const std::string& source) {
  const size_t m = d.all.cols;
  const int hidden = cfg["model"]["hidden"];
  const size_t params = arch == "linear" ? m + 1 : classical::Mlp::parameter_count(static_cast<int>(m), hidden);
  const size_t rows = d.train.size();
  if (rows >= params) return;
  const std::string model = arch == "linear" ? std::string("the linear model")
                                             : "a " + std::to_string(m) + "-" + std::to_string(hidden) + "-1 network";
  const std::string what = std::to_string(rows) + " training rows for the " + std::to_string(params) + " parameters of " + model;
  if (arch == "linear" || rows < 2) throw InputError(source + ": " + what + "; give more rows");
  spdlog::warn("{}: {} ({:.2f} rows per parameter). Levenberg-Marquardt's damping keeps the fit solvable, as MATLAB's "
               "trainlm did for the straightening paper, but such a network can fit the training rows exactly: "
               "judge it on validation and test rows, or use a smaller model.hidden",
               source, what, static_cast<double>(rows) / static_cast<double>(params));
}

const char* display_name(const std::string& arch) {
  return arch == "gabp" ? "GA-BP" : arch == "bp" ? "BP" : "linear regression";
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Commands.

int train_springback(const Json& cfg, const RunPaths& paths, bool resume, bool quiet, double t_start) {
  const std::string source = cfg["data"]["train"].is_null() ? cfg["data"]["csv"].get<std::string>()
                                                            : cfg["data"]["train"].get<std::string>();
  const Dataset d = load_dataset(cfg);
  const std::string arch = cfg["model"]["name"];
  spdlog::info("data: {} rows of {} inputs; train {}, val {}, test {}", d.all.rows(), d.all.cols, d.train.size(),
               d.val.size(), d.test.size());
  std::vector<std::string> archs{arch};
  if (cfg["train"]["compare"].get<bool>())
    for (const char* other : {"gabp", "bp", "linear"})
      if (other != arch) archs.push_back(other);
  for (const auto& a : archs) check_rows(a, d, cfg, source);
  write_split_csv(paths.split(), d);
  const auto scaler = data::MinMaxScaler::fit(d.all.subset(d.train));
  if (!(scaler.y_max > scaler.y_min)) throw InputError(source + ": the target '" + cfg["data"]["target"].get<std::string>() +
                                                       "' is constant on the training rows");
  const std::string state_path = paths.checkpoints() + "/repeats.json";
  Json state = resume && fs::exists(state_path) ? config::load_json_file(state_path) : Json::object();
  install_stop_handlers();

  std::map<std::string, Fitted> fitted;
  for (const auto& a : archs) fitted[a] = fit_model(a, d, scaler, cfg, state, state_path, quiet);
  const Fitted& main = fitted[arch];
  config::write_json_file(paths.model(), main.model.to_json());

  // metrics.jsonl: the Levenberg-Marquardt epochs of every repeat of the main model. The MSEs are
  // in the scaled target space LM works in; val_rmse is in the target's own units, as eval reports it.
  const double half_range = (scaler.y_max - scaler.y_min) / 2;
  std::string lines;
  for (size_t k = 0; k < main.repeats.size(); ++k)
    for (const auto& e : main.repeats[k].lm)
      lines += Json{{"repeat", k}, {"epoch", e.epoch}, {"train_mse", e.perf},
                    {"val_mse", std::isfinite(e.val_perf) ? Json(e.val_perf) : Json()},
                    {"val_rmse", std::isfinite(e.val_perf) ? Json(std::sqrt(e.val_perf) * half_range) : Json()},
                    {"mu", e.mu}, {"gradient", e.gradient}}.dump() + "\n";
  write_text_atomically(paths.metrics(), lines);

  // Predictions, metrics, comparison.
  const auto predicted = main.model.predict(d.all);
  std::string pred = "source,row,split," + main.model.target + ",predicted,error,percent_error\n";
  const auto part = split_names(d);
  for (size_t i = 0; i < d.all.rows(); ++i) {
    const double e = predicted[i] - d.all.y[i];
    std::ostringstream row;
    row << csv_escape(d.source[i]) << "," << d.row[i] << "," << part[i] << "," << d.all.y[i] << "," << predicted[i] << ","
        << e << "," << (d.all.y[i] != 0 ? 100.0 * e / d.all.y[i] : std::nan("")) << "\n";
    pred += row.str();
  }
  write_text_atomically(paths.dir + "/predictions.csv", pred);

  Json summary;
  summary["name"] = cfg["name"];
  summary["task"] = "springback";
  summary["model"] = arch;
  summary["features"] = main.model.features;
  summary["target"] = main.model.target;
  summary["rows"] = {{"train", d.train.size()}, {"val", d.val.size()}, {"test", d.test.size()}};
  summary["metrics"] = split_metrics(predicted, d);
  for (const char* s : {"val", "test"})
    if (summary["metrics"].contains(s)) summary[s] = summary["metrics"][s];
  summary["fit_seconds"] = main.fit_s;
  if (arch != "linear") {
    summary["parameters"] = main.model.nets[0].parameter_count();
    summary["repeats"] = main.repeats.size();
    summary["ensemble"] = main.model.ensemble;
    summary["chosen_repeat"] = main.model.chosen;
    summary["repeat_statistics"] = repeat_statistics(main, d);
    Json stops = Json::array();
    for (const auto& r : main.repeats) stops.push_back({{"stop_reason", r.stop_reason}, {"lm_epochs", r.lm.size() - 1}});
    summary["lm"] = stops;
  } else {
    summary["equation"] = main.model.linear.equation(main.model.features, main.model.target);
  }
  Json comparison = Json::array();
  for (const auto& a : archs) {
    const auto& f = fitted[a];
    Json row{{"model", a}, {"name", display_name(a)}, {"fit_seconds", f.fit_s}};
    row["metrics"] = split_metrics(f.model.predict(d.all), d);
    if (a != "linear" && f.repeats.size() > 1) row["repeat_statistics"] = repeat_statistics(f, d);
    if (a == "linear") row["equation"] = f.model.linear.equation(f.model.features, f.model.target);
    comparison.push_back(row);
  }
  summary["comparison"] = comparison;

  // Factor analysis (the paper's section 5) with the main model.
  const auto& m = main.model;
  const eval::RowPredictor predict = [&m](const double* x) { return m.predict(x); };
  const auto importance_rows = d.test.empty() ? d.all : d.all.subset(d.test);
  const auto miv = eval::mean_impact_values(predict, d.all, cfg["analysis"]["miv_delta"]);
  const auto perm = eval::permutation_importance(predict, importance_rows, cfg["analysis"]["permutations"],
                                                 derive_seed(cfg["seed"].get<std::uint64_t>(), 0x9e7));
  Json importance{{"features", m.features}, {"miv", miv}, {"miv_relative", eval::relative_magnitudes(miv)},
                  {"permutation_rmse_increase", perm}, {"permutation_relative", eval::relative_magnitudes(perm)},
                  {"permutation_on", d.test.empty() ? "all" : "test"}};
  if (arch != "linear") {
    std::vector<classical::Mlp> used = m.ensemble ? m.nets : std::vector<classical::Mlp>{m.nets[m.chosen]};
    importance["garson"] = eval::garson_importance(used);
  }
  summary["importance"] = importance;
  summary["wall_time_s"] = train::monotonic_seconds() - t_start;
  config::write_json_file(paths.summary(), summary);

  SpringbackReportData rep;
  rep.summary = &summary;
  for (size_t i : d.train) rep.parity.push_back({0, d.all.y[i], predicted[i]});
  for (size_t i : d.val) rep.parity.push_back({1, d.all.y[i], predicted[i]});
  for (size_t i : d.test) rep.parity.push_back({2, d.all.y[i], predicted[i]});
  if (!main.repeats.empty()) {
    rep.ga = main.repeats[m.chosen].ga;
    rep.lm = main.repeats[m.chosen].lm;
  }
  if (cfg["output"]["report"].get<bool>()) write_springback_report(paths, rep);
  std::cout << format_springback_table(summary, "Springback regression, " + paths.dir);
  spdlog::info("done in {:.1f} s; run directory {}", summary["wall_time_s"].get<double>(), paths.dir);
  return 0;
}

namespace {

// The rows of the run's own split (split.csv) as samples.
classical::Samples split_rows(const Run& run, const SpringbackModel& m, const std::string& split) {
  const CsvTable csv = read_csv(run.paths.split());
  const size_t cs = csv.column("source"), cr = csv.column("row"), cp = csv.column("split");
  std::map<std::string, data::NumericTable> tables;
  classical::Samples out;
  out.cols = m.features.size();
  for (size_t r = 0; r < csv.rows.size(); ++r) {
    if (csv.rows[r][cp] != split) continue;
    const std::string& src = csv.rows[r][cs];
    if (!tables.count(src)) tables[src] = data::read_numeric_table(src, m.features, m.target);
    const auto& t = tables[src];
    // A table reads every row or throws, so data row k is sample k - 1.
    const size_t row = static_cast<size_t>(data::numeric_cell(csv, r, cr));
    if (row < 1 || row > t.samples.rows())
      throw InputError(src + ": row " + std::to_string(row) + " (listed in " + run.paths.split() + ") is gone");
    const size_t i = row - 1;
    out.add(std::vector<double>(t.samples.row(i), t.samples.row(i) + t.samples.cols), t.samples.y[i]);
  }
  return out;
}

}  // namespace

int eval_springback(const Run& run, const EvalRequest& req) {
  const auto m = SpringbackModel::from_json(run.model, run.paths.model());
  classical::Samples s;
  std::string what;
  if (!req.data.empty()) {
    s = data::read_numeric_table(req.data, m.features, m.target).samples;
    what = req.data;
  } else {
    if (req.split != "train" && req.split != "val" && req.split != "test")
      throw InputError("--split must be train, val or test, got '" + req.split + "'");
    s = split_rows(run, m, req.split);
    if (s.rows() == 0) throw InputError(req.run_dir + ": the run has no " + req.split + " split; use --data FILE.csv");
    what = "the " + req.split + " split";
  }
  const auto metrics = eval::regression_metrics(s.y, m.predict(s));
  const std::string out = !req.out_path.empty() ? req.out_path
                          : req.data.empty()    ? run.paths.dir + "/eval_" + req.split + ".json"
                                                : run.paths.dir + "/eval_" + fs::path(req.data).filename().string() + ".json";
  config::write_json_file(out, eval::to_json(metrics));
  std::cout << "Evaluation of " << req.run_dir << " (" << m.arch << ") on " << what << "\n"
            << "  RMSE " << fixed(metrics.rmse, 5) << "  MAE " << fixed(metrics.mae, 5) << "  R^2 " << fixed(metrics.r2, 5)
            << "  R " << fixed(metrics.r, 5) << "  n " << metrics.n << "\n";
  spdlog::info("wrote {}", out);
  return 0;
}

int predict_springback(const Run& run, const PredictRequest& req) {
  const auto m = SpringbackModel::from_json(run.model, run.paths.model());
  const CsvTable csv = read_csv(req.input);
  std::vector<size_t> cols;
  for (const auto& f : m.features) cols.push_back(csv.column(f));
  const Json& st = run.config.contains("straightness") ? run.config["straightness"] : Json::object();
  auto optional_column = [&](const char* key, const char* def) -> std::optional<size_t> {
    const std::string name = st.value(key, std::string(def));
    const auto it = std::find(csv.header.begin(), csv.header.end(), name);
    if (it == csv.header.end()) return std::nullopt;
    return static_cast<size_t>(it - csv.header.begin());
  };
  const auto deflection = optional_column("deflection", "deflection_mm");
  const auto tolerance = optional_column("tolerance", "tolerance_mm");
  const auto final_deflection = optional_column("final_deflection", "final_deflection_mm");
  const double default_tolerance = st.value("default_tolerance_mm", 0.05);
  const std::string pred_col = "predicted_" + m.target;

  std::ostringstream out;
  out << "row";
  for (const auto& f : m.features) out << "," << csv_escape(f);
  out << "," << csv_escape(pred_col);
  if (deflection)
    out << ",deflection_mm,tolerance_mm,predicted_final_deflection_mm,accept_low_mm,accept_high_mm,verdict";
  if (deflection && final_deflection) out << ",final_deflection_mm,actual,static_verdict";
  out << ",error\n";
  out.precision(6);
  MisjudgementCounts counts;
  int accepted = 0, judged = 0, failed = 0;
  for (size_t r = 0; r < csv.rows.size(); ++r) {
    out << r + 1;
    try {
      std::vector<double> x;
      for (size_t c : cols) x.push_back(data::numeric_cell(csv, r, c));
      double dm = 0, tol = default_tolerance, fin = 0;
      if (deflection) dm = data::numeric_cell(csv, r, *deflection);
      if (deflection && tolerance) tol = data::numeric_cell(csv, r, *tolerance);
      if (deflection && final_deflection) fin = data::numeric_cell(csv, r, *final_deflection);
      const double y = m.predict(x.data());
      std::ostringstream row;
      row.precision(6);
      for (double v : x) row << "," << v;
      row << "," << y;
      if (deflection) {
        const auto v = judge_straightness(dm, tol, y);
        row << "," << dm << "," << tol << "," << v.final_deflection << "," << v.accept_low << "," << v.accept_high << ","
            << (v.accept ? "accept" : "reject");
        accepted += v.accept;
        ++judged;
        if (final_deflection) {
          row << "," << fin << "," << (std::abs(fin) <= tol ? "within" : "out") << ","
              << (std::abs(dm) <= tol ? "accept" : "reject");
          counts.add(dm, tol, y, fin);
        }
      }
      out << row.str() << ",\n";
    } catch (const InputError& e) {
      ++failed;
      const size_t blanks = m.features.size() + 1 + (deflection ? 6 : 0) + (deflection && final_deflection ? 3 : 0);
      out << std::string(blanks, ',') << "," << csv_escape(e.what()) << "\n";
    }
  }
  if (req.output.empty()) {
    std::cout << out.str();
  } else {
    write_text_atomically(req.output, out.str());
    spdlog::info("wrote {} predictions to {}", csv.rows.size(), req.output);
  }
  if (judged > 0) spdlog::info("straightness: {} of {} shafts accepted after the predicted springback", accepted, judged);
  if (counts.n > 0) {
    std::ostringstream t;
    t << "Misjudgements on " << counts.n << " labelled shafts (deflection after saturation known):\n"
      << "                      false accept   false reject\n"
      << "  static  (measured)  " << std::string(13 - std::to_string(counts.false_accept_static).size(), ' ')
      << counts.false_accept_static << std::string(15 - std::to_string(counts.false_reject_static).size(), ' ')
      << counts.false_reject_static << "\n"
      << "  dynamic (predicted) " << std::string(13 - std::to_string(counts.false_accept_dynamic).size(), ' ')
      << counts.false_accept_dynamic << std::string(15 - std::to_string(counts.false_reject_dynamic).size(), ' ')
      << counts.false_reject_dynamic << "\n";
    if (req.output.empty()) spdlog::info("{}", t.str());
    else std::cout << t.str();
  }
  if (failed > 0) spdlog::warn("{} row(s) could not be read (the error column says why)", failed);
  return 0;
}

int run_springback_synth(const SpringbackSynthRequest& req) {
  init_logging(req.common.quiet);
  if (req.rows < 1) throw InputError("--rows must be at least 1");
  data::SpringbackSynthOptions o;
  o.rows = req.rows;
  o.seed = req.seed;
  o.straightness = req.straightness;
  o.tolerance_mm = req.tolerance_mm;
  const auto parent = fs::path(req.output).parent_path();
  if (!parent.empty()) fs::create_directories(parent);
  if (req.curves) {
    data::RecoveryCurveOptions c;
    c.shafts = req.shafts;
    c.hours = req.hours;
    c.points = req.points;
    c.law = req.law;
    c.seed = req.seed;
    data::write_recovery_curves(req.output, c);
    std::cout << "wrote the recovery curves of " << req.shafts << " shafts (" << req.points + 1 << " readings over "
              << req.hours << " h, " << req.law << " law) to " << req.output << "\n";
    return 0;
  }
  data::write_springback_csv(req.output, o);
  std::cout << "wrote " << req.rows << " synthetic straightening records to " << req.output << "\n";
  return 0;
}

}  // namespace alloyml::tasks
