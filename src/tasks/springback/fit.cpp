// Fitting the springback models: GA-BP and BP repeats (each saved before the next starts, so a
// killed run resumes), the linear baseline, their metrics by split and the check of rows per parameter.
#include "fit.h"

#include <chrono>
#include <cmath>
#include <map>
#include <numeric>

#include <spdlog/spdlog.h>

#include "alloyml/core/error.h"
#include "alloyml/core/rng.h"
#include "alloyml/core/signals.h"
#include "alloyml/dist/group.h"
#include "alloyml/eval/metrics_io.h"

namespace alloyml::tasks {

using config::Json;

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

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

Repeat fit_network(const std::string& arch, const data::Samples& train, const data::Samples& val,
                   const SpringbackOptions& o, std::uint64_t seed) {
  const auto t0 = std::chrono::steady_clock::now();
  classical::Mlp net(static_cast<int>(train.cols), o.hidden);
  Repeat r;
  if (arch == "gabp") {
    // Fitness: RMSE of the network on the (scaled) training data.
    classical::Mlp probe = net;
    auto fitness = [&](const std::vector<double>& genes) {
      probe.parameters() = genes;
      return std::sqrt(probe.mse(train));
    };
    auto ga = classical::minimize_ga(fitness, net.parameter_count(), o.ga, seed);
    net.set_parameters(ga.best);
    r.ga = std::move(ga.history);
  } else {
    net.init_random(seed);
  }
  const auto lm = classical::train_levenberg_marquardt(net, train, val.rows() ? &val : nullptr, o.lm);
  r.parameters = net.parameters();
  r.lm = lm.history;
  r.stop_reason = lm.stop_reason;
  r.val_mse = val.rows() ? net.mse(val) : std::nan("");
  r.fit_s = seconds_since(t0);
  return r;
}

}  // namespace

// Fits `arch` on the split; network repeats already in `state` (a resumed run) are kept, each
// new one is saved there atomically before the next starts.
Fitted fit_model(const std::string& arch, const Dataset& d, const data::MinMaxScaler& scaler, const SpringbackOptions& o,
                 Json& state, const std::string& state_path, bool quiet) {
  Fitted f;
  auto& m = f.model;
  m.arch = arch;
  m.features = o.data.features;
  m.target = o.data.target;
  m.scaler = scaler;
  m.ensemble = o.ensemble;
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
  const auto repeats = static_cast<size_t>(o.repeats);
  // state[arch][k]: repeat k, null until fitted. In a distributed job repeat k is fitted by the
  // worker of rank k % world size, which saves it in its own state file; all share them at the end.
  Json& done = state[arch];
  if (!done.is_array()) done = Json::array();
  while (done.size() < repeats) done.push_back(nullptr);
  size_t saved = 0;
  for (size_t k = 0; k < repeats; ++k) saved += done[k].is_null() ? 0 : 1;
  Json mine = Json::object();
  for (size_t k = 0; k < repeats; ++k) {
    if (!done[k].is_null() || !dist::owns(k)) continue;
    if (stop_requested()) throw Interrupted("interrupted; " + std::to_string(saved) + " of " + std::to_string(repeats) + " " +
                                            arch + " repeats are saved, continue with --resume");
    const std::uint64_t seed = derive_seed(o.seed, arch == "gabp" ? 0x6AB : 0xB9, static_cast<std::uint64_t>(k));
    const Repeat r = fit_network(arch, train_s, val_s, o, seed);
    done[k] = mine[std::to_string(k)] = to_json(r);
    ++saved;
    config::write_json_file(state_path, state);
    if (!quiet && repeats > 1)
      spdlog::info("{} repeat {}/{}: {} after {} LM epochs, {:.2f} s", arch, k + 1, repeats, r.stop_reason, r.lm.size() - 1, r.fit_s);
  }
  if (auto* group = dist::current()) {
    for (const auto& text : group->exchange("springback-" + arch, mine.dump())) {
      const Json theirs = Json::parse(text);
      for (const auto& [k, r] : theirs.items()) done[std::stoul(k)] = r;
    }
    if (dist::is_main()) config::write_json_file(state_path, state);
  }
  for (const auto& r : done) f.repeats.push_back(repeat_from_json(r));
  for (const auto& r : f.repeats) {
    classical::Mlp net(static_cast<int>(train.cols), o.hidden);
    net.set_parameters(r.parameters);
    m.nets.push_back(std::move(net));
    f.fit_s += r.fit_s;
  }
  // Without an ensemble, predict with the repeat that did best on validation (never on test).
  for (size_t k = 1; k < f.repeats.size(); ++k)
    if (f.repeats[k].val_mse < f.repeats[m.chosen].val_mse) m.chosen = k;
  return f;
}

namespace {

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

}  // namespace

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
void check_rows(const std::string& arch, const Dataset& d, const SpringbackOptions& o, const std::string& source) {
  const size_t m = d.all.cols;
  const int hidden = o.hidden;
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

}  // namespace alloyml::tasks
