// alloyml-train for glass-forming ability: the table, k-fold cross-validation (or one split),
// the final model, summary and report.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <numeric>
#include <sstream>

#include <spdlog/spdlog.h>

#include "alloyml/core/error.h"
#include "alloyml/core/fs.h"
#include "alloyml/core/signals.h"
#include "alloyml/core/text.h"
#include "alloyml/dist/group.h"
#include "alloyml/eval/metrics_io.h"
#include "alloyml/run/split_file.h"
#include "alloyml/run/summary.h"
#include "alloyml/tasks/config.h"
#include "encoding.h"
#include "fit.h"
#include "alloyml/tasks/gfa/pipeline.h"
#include "report.h"
#include "alloyml/data/row_split.h"
#include "alloyml/train/regression.h"

namespace fs = std::filesystem;
using alloyml::config::Json;

namespace alloyml::tasks {

int train_gfa(const GfaOptions& o, const TrainContext& ctx) {
  const RunPaths& paths = ctx.paths;
  const bool resume = ctx.resume, quiet = ctx.quiet;
  const std::string& csv = o.data.csv;
  GfaTable table = read_gfa_table(csv, o.data.formula_column, o.data.target_column);
  if (table.target_column.empty())
    throw InputError(csv + ": no target column (a name with dmax or d_max); name it with data.target_column");
  for (const auto& s : table.skipped) spdlog::warn("skipped {}", s);
  const data::CompositionEncoding enc = encoding_for(o, table);
  // With an explicit element set, rows with other elements are skipped and counted too.
  std::vector<GfaRow> rows;
  for (auto& r : table.rows) {
    try {
      data::encode_composition(r.composition, enc);
      rows.push_back(std::move(r));
    } catch (const InputError& e) {
      table.skipped.push_back(csv + ": row " + std::to_string(r.row) + " (line " + std::to_string(r.line) + "): " + e.what());
      spdlog::warn("skipped {}", table.skipped.back());
    }
  }
  const int folds = o.cv_folds;
  if (rows.size() < 4 || (folds > 0 && rows.size() < static_cast<size_t>(folds)))
    throw InputError(csv + ": only " + std::to_string(rows.size()) + " usable rows");
  const RegressionSetup setup = regression_setup(o, enc, *ctx.facts.runtime);
  RegressionData data = encode_rows(rows, enc, setup.target_transform);
  spdlog::info("{}: {} alloys of {} elements, {} skipped; images {} x {} x {} ({})", csv, rows.size(), enc.elements.size(),
               table.skipped.size(), data.c, data.h, data.w, enc.kind);

  // model.json: what eval and predict need to rebuild the images and the network.
  Json model_json{{"arch", setup.model.name},
                  {"model", to_json(setup.model)},
                  {"encoding", encoding_to_json(enc)},
                  {"target_transform", setup.target_transform},
                  {"formula_column", table.formula_column},
                  {"target_column", table.target_column},
                  {"checkpoint", folds > 0 ? "last.pt" : "best.pt"},
                  {"class_names", Json::array()}};  // a regression: no classes (read by older versions)
  // An ensemble: every member's checkpoint, relative to the run directory (predictions averaged).
  for (int m = 0; m < o.ensemble_members; ++m)
    model_json["checkpoints"].push_back(fs::path(member_paths(RunPaths{"."}, m).checkpoints()).lexically_normal().string() +
                                        "/" + model_json["checkpoint"].get<std::string>());
  const bool main = dist::is_main();  // rank 0 of a distributed job writes the run's own files
  if (main) run::write_model_json(paths, "gfa", model_json);
  install_stop_handlers();
  // A distributed job spreads the networks (folds times members, the final model's members)
  // over its workers; each trains its share (its directories its own) and all share results.
  FitSpread spread_fits;
  FitSpread* spread = dist::current() ? &spread_fits : nullptr;
  if (spread)
    spdlog::info("networks spread over {} workers (this is rank {})", dist::world_size(), dist::rank());

  Json summary{{"name", o.name}, {"task", "gfa"}, {"model", setup.model.name}, {"rows", rows.size()},
               {"elements", encoding_to_json(enc)["elements"]}, {"skipped_rows", table.skipped.size()},
               {"skipped", table.skipped}};
  std::vector<run::ParityPoint> parity;
  std::vector<GfaFoldRow> fold_rows;
  if (folds > 0) {
    const auto fold_of = data::regression_folds(data.raw, folds, o.data.split.seed);
    std::vector<double> oof(rows.size(), NAN);
    std::vector<eval::RegressionMetrics> per_fold;
    Json fold_json = Json::array();
    std::vector<std::vector<size_t>> held_out(static_cast<size_t>(folds));
    std::vector<FitOutcome> fits(static_cast<size_t>(folds));
    std::vector<FitOutcome*> fresh;  // trained in this run (not read from an earlier one's result.json)
    auto fold_dir = [&](int k) { return paths.dir + "/folds/" + std::to_string(k + 1); };
    for (int k = 0; k < folds; ++k) {
      RunPaths fp;
      fp.dir = fold_dir(k);
      std::vector<size_t> tr, &te = held_out[static_cast<size_t>(k)];
      for (size_t i = 0; i < rows.size(); ++i) (fold_of[i] == k ? te : tr).push_back(i);
      const std::string result_path = fp.dir + "/result.json";
      auto& fit = fits[static_cast<size_t>(k)];
      if (resume && fs::exists(result_path)) {
        const Json r = config::load_json_file(result_path);
        fit.predictions = r["predictions"].get<std::vector<double>>();
        fit.seconds = r["seconds"];
        if (fit.predictions.size() != te.size()) throw InputError(result_path + ": does not match this run's folds");
        spdlog::info("fold {}/{}: done before ({} rows)", k + 1, folds, te.size());
        for (int m = 0; m < o.ensemble_members && spread; ++m) spread->take();  // the same numbering as the first time
      } else {
        spdlog::info("fold {}/{}: training on {} rows, {} held out", k + 1, folds, tr.size(), te.size());
        fit = fit_ensemble(o, setup, data, tr, te, te, fp, false, resume, quiet, spread);
        fresh.push_back(&fit);
      }
    }
    if (spread) spread->share(fresh, "gfa-cv");
    for (int k = 0; k < folds; ++k) {
      const auto& te = held_out[static_cast<size_t>(k)];
      const auto& pred = fits[static_cast<size_t>(k)].predictions;
      const double seconds = fits[static_cast<size_t>(k)].seconds;
      if (main && std::find(fresh.begin(), fresh.end(), &fits[static_cast<size_t>(k)]) != fresh.end())
        config::write_json_file(fold_dir(k) + "/result.json",
                                Json{{"fold", k + 1}, {"rows", te}, {"predictions", pred}, {"seconds", seconds}});
      for (size_t j = 0; j < te.size(); ++j) oof[te[j]] = pred[j];
      const auto m = metrics_of(data, te, pred);
      per_fold.push_back(m);
      Json fj = eval::to_json(m);
      fj["fold"] = k + 1;
      fj["seconds"] = seconds;
      fold_json.push_back(fj);
      fold_rows.push_back({k + 1, m, seconds});
      if (main) spdlog::info("fold {}/{}: {}", k + 1, folds, metrics_line(fj));
    }
    std::vector<size_t> all(rows.size());
    std::iota(all.begin(), all.end(), size_t{0});
    summary["cv"] = mean_std(per_fold);
    summary["cv"]["folds"] = fold_json;
    summary["cv"]["k"] = folds;
    summary["cv"]["pooled"] = eval::to_json(metrics_of(data, all, oof));
    // Out-of-fold predictions, one per alloy.
    if (main) {
      std::ostringstream out;
      out << "row,formula,fold," << csv_escape(table.target_column) << ",predicted\n";
      for (size_t i = 0; i < rows.size(); ++i)
        out << rows[i].row << ',' << csv_escape(rows[i].formula) << ',' << fold_of[i] + 1 << ',' << rows[i].target << ','
          << fixed(oof[i], 4) << '\n';
      write_text_atomically(paths.dir + "/oof_predictions.csv", out.str());
    }
    for (size_t i = 0; i < rows.size(); ++i) parity.push_back({2, rows[i].target, oof[i]});
    if (o.cv_final_model) {
      spdlog::info("final model: training on all {} rows", rows.size());
      auto fit = fit_ensemble(o, setup, data, all, {}, {}, paths, false, resume, quiet, spread);
      if (spread) spread->share({&fit}, "gfa-final");
      summary["final"] = Json{{"checkpoint", "last.pt"}, {"epochs", fit.epochs}, {"seconds", fit.seconds},
                              {"rows_per_s", fit.rows_per_s}};
    }
  } else {
    std::vector<size_t> all(rows.size());
    std::iota(all.begin(), all.end(), size_t{0});
    const data::RowSplit split = data::random_row_split(all, o.data.split.val, o.data.split.test, o.data.split.seed, csv);
    const std::vector<size_t>&tr = split.train, &va = split.val, &te = split.test;
    if (va.empty() && o.train.monitor.rfind("val_", 0) == 0)
      throw InputError(paths.config() + ": no validation rows (data.split.val is 0); set train.monitor to train_loss");
    const auto part = run::split_names(rows.size(), tr, va, te);
    std::vector<run::SplitEntry> entries;
    for (size_t i = 0; i < rows.size(); ++i)
      entries.push_back({fs::absolute(csv).string(), static_cast<long>(rows[i].row), rows[i].formula, "", part[i], ""});
    if (main) run::write_split_file(paths.split(), entries);
    std::vector<size_t> scored = va;
    scored.insert(scored.end(), te.begin(), te.end());
    auto fit = fit_ensemble(o, setup, data, tr, va, scored, paths, true, resume, quiet, spread);
    if (spread) spread->share({&fit}, "gfa-split");
    const std::vector<double> pv(fit.predictions.begin(), fit.predictions.begin() + static_cast<std::ptrdiff_t>(va.size()));
    const std::vector<double> pt(fit.predictions.begin() + static_cast<std::ptrdiff_t>(va.size()), fit.predictions.end());
    if (!va.empty()) summary["val"] = eval::to_json(metrics_of(data, va, pv));
    if (!te.empty()) summary["test"] = eval::to_json(metrics_of(data, te, pt));
    for (size_t j = 0; j < te.size(); ++j) parity.push_back({2, data.raw[te[j]], pt[j]});
    summary["final"] = Json{{"checkpoint", fs::path(fit.checkpoint).filename().string()}, {"epochs", fit.epochs},
                            {"seconds", fit.seconds}, {"rows_per_s", fit.rows_per_s}};
  }
  if (!main) return 0;
  summary = run::write_summary(paths, summary, ctx.facts);
  if (o.report) write_gfa_report(paths, summary, parity, fold_rows);
  std::cout << format_gfa_table(summary, "Glass-forming ability (" + table.target_column + ") of " + paths.dir);
  if (!table.skipped.empty()) spdlog::warn("{} row(s) were skipped (listed in summary.json)", table.skipped.size());
  spdlog::info("done in {:.0f} s; run directory {}", summary["wall_time_s"].get<double>(), paths.dir);
  return 0;
}

}  // namespace alloyml::tasks
