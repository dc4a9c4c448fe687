// alloyml-train for springback regression: the split, the main model with its baselines, the
// factor analysis, summary and report.
#include <cmath>
#include <filesystem>
#include <iostream>
#include <map>
#include <sstream>

#include <spdlog/spdlog.h>

#include "alloyml/core/csv.h"
#include "alloyml/core/error.h"
#include "alloyml/core/fs.h"
#include "alloyml/core/rng.h"
#include "alloyml/core/signals.h"
#include "alloyml/dist/group.h"
#include "alloyml/eval/importance.h"
#include "alloyml/run/metrics_log.h"
#include "alloyml/run/summary.h"
#include "fit.h"
#include "alloyml/tasks/springback/pipeline.h"
#include "report.h"

namespace fs = std::filesystem;
using alloyml::config::Json;

namespace alloyml::tasks {

int train_springback(const SpringbackOptions& o, const TrainContext& ctx) {
  const RunPaths& paths = ctx.paths;
  const std::string& source = o.data.train.empty() ? o.data.csv : o.data.train;
  const Dataset d = load_dataset(o.data);
  const std::string& arch = o.model;
  spdlog::info("data: {} rows of {} inputs; train {}, val {}, test {}", d.all.rows(), d.all.cols, d.train.size(),
               d.val.size(), d.test.size());
  std::vector<std::string> archs{arch};
  if (o.compare)
    for (const char* other : {"gabp", "bp", "linear"})
      if (other != arch) archs.push_back(other);
  for (const auto& a : archs) check_rows(a, d, o, source);
  const bool writes = dist::is_main();  // rank 0 of a distributed job writes the run's own files
  if (writes) write_split_csv(paths.split(), d);
  const auto scaler = data::MinMaxScaler::fit(d.all.subset(d.train));
  if (!(scaler.y_max > scaler.y_min)) throw InputError(source + ": the target '" + o.data.target + "' is constant on the training rows");
  // Repeats saved so far: repeats.json, and the other workers' files of a distributed job (a
  // worker of rank r > 0 saves its repeats in repeats-r.json until all are shared).
  const std::string state_path =
      paths.checkpoints() + (writes ? "/repeats.json" : "/repeats-" + std::to_string(dist::rank()) + ".json");
  Json state = Json::object();
  if (ctx.resume && fs::exists(paths.checkpoints()))
    for (const auto& file : fs::directory_iterator(paths.checkpoints())) {
      const std::string name = file.path().filename().string();
      if (name.rfind("repeats", 0) != 0 || file.path().extension() != ".json") continue;
      const Json saved = config::load_json_file(file.path().string());
      for (const auto& [a, list] : saved.items())
        for (size_t k = 0; k < list.size(); ++k) {
          if (list[k].is_null()) continue;
          while (state[a].size() <= k) state[a].push_back(nullptr);
          state[a][k] = list[k];
        }
    }
  install_stop_handlers();

  std::map<std::string, Fitted> fitted;
  for (const auto& a : archs) fitted[a] = fit_model(a, d, scaler, o, state, state_path, ctx.quiet);
  if (!writes) return 0;
  const Fitted& main = fitted[arch];
  run::write_model_json(paths, "springback", main.model.to_json());

  // metrics.jsonl: the Levenberg-Marquardt epochs of every repeat of the main model. The MSEs are
  // in the scaled target space LM works in; val_rmse is in the target's own units, as eval reports it.
  const double half_range = (scaler.y_max - scaler.y_min) / 2;
  std::vector<config::OrderedJson> lines;
  for (size_t k = 0; k < main.repeats.size(); ++k)
    for (const auto& e : main.repeats[k].lm)
      lines.push_back({{"repeat", k}, {"epoch", e.epoch}, {"train_mse", e.perf},
                       {"val_mse", std::isfinite(e.val_perf) ? config::OrderedJson(e.val_perf) : config::OrderedJson()},
                       {"val_rmse", std::isfinite(e.val_perf) ? config::OrderedJson(std::sqrt(e.val_perf) * half_range)
                                                              : config::OrderedJson()},
                       {"mu", e.mu}, {"gradient", e.gradient}});
  run::MetricsFile(paths.metrics()).write(lines);

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
  summary["name"] = o.name;
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
  const auto miv = eval::mean_impact_values(predict, d.all, o.miv_delta);
  const auto perm = eval::permutation_importance(predict, importance_rows, o.permutations, derive_seed(o.seed, 0x9e7));
  Json importance{{"features", m.features}, {"miv", miv}, {"miv_relative", eval::relative_magnitudes(miv)},
                  {"permutation_rmse_increase", perm}, {"permutation_relative", eval::relative_magnitudes(perm)},
                  {"permutation_on", d.test.empty() ? "all" : "test"}};
  if (arch != "linear") {
    std::vector<classical::Mlp> used = m.ensemble ? m.nets : std::vector<classical::Mlp>{m.nets[m.chosen]};
    importance["garson"] = eval::garson_importance(used);
  }
  summary["importance"] = importance;
  summary = run::write_summary(paths, summary, ctx.facts);

  SpringbackReportData rep;
  rep.summary = &summary;
  for (size_t i : d.train) rep.parity.push_back({0, d.all.y[i], predicted[i]});
  for (size_t i : d.val) rep.parity.push_back({1, d.all.y[i], predicted[i]});
  for (size_t i : d.test) rep.parity.push_back({2, d.all.y[i], predicted[i]});
  if (!main.repeats.empty()) {
    rep.ga = main.repeats[m.chosen].ga;
    rep.lm = main.repeats[m.chosen].lm;
  }
  if (o.report) write_springback_report(paths, rep);
  std::cout << format_springback_table(summary, "Springback regression, " + paths.dir);
  spdlog::info("done in {:.1f} s; run directory {}", summary["wall_time_s"].get<double>(), paths.dir);
  return 0;
}

}  // namespace alloyml::tasks
