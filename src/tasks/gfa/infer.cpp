// alloyml-eval and alloyml-predict of a gfa run: its split, its out-of-fold predictions or a
// labelled table; formulas from a CSV or the command line; a ternary system on a grid.
#include "infer.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <numeric>
#include <sstream>

#include <spdlog/spdlog.h>

#include "alloyml/core/csv.h"
#include "alloyml/core/error.h"
#include "alloyml/core/fs.h"
#include "alloyml/core/text.h"
#include "alloyml/data/tabular.h"
#include "alloyml/eval/metrics.h"
#include "alloyml/eval/metrics_io.h"
#include "alloyml/run/split_file.h"
#include "alloyml/tasks/config.h"
#include "encoding.h"
#include "fit.h"
#include "alloyml/tasks/gfa/ternary.h"
#include "alloyml/tasks/runtime_flags.h"
#include "alloyml/train/regression.h"
#include "alloyml/vision/plot.h"

namespace fs = std::filesystem;
using alloyml::config::Json;

namespace alloyml::tasks {

using run::Run;
namespace {

struct LoadedGfa {
  data::CompositionEncoding encoding;
  std::string transform;
  models::ModelOptions model;
  int batch_size = 64;
  std::vector<std::unique_ptr<RegressionModel>> nets;  ///< one, or an ensemble's members
};

// The run's networks: one, or an ensemble's members (model.json "checkpoints").
std::vector<std::string> network_checkpoints(const Run& run) {
  std::vector<std::string> ckpts;
  if (run.model.contains("checkpoints"))
    for (const auto& c : run.model["checkpoints"]) ckpts.push_back(run.paths.dir + "/" + c.get<std::string>());
  else
    ckpts.push_back(run.paths.checkpoints() + "/" + run.model.value("checkpoint", std::string("last.pt")));
  for (const auto& ckpt : ckpts)
    if (!fs::exists(ckpt)) throw InputError(run.paths.dir + ": no trained model (" + ckpt + " is missing)");
  return ckpts;
}

LoadedGfa load_gfa(const GfaOptions& o, const Run& run, const CommonFlags& flags) {
  LoadedGfa g;
  const std::string src = run.paths.model();
  g.encoding = encoding_from_json(run.model.at("encoding"), src);
  g.transform = run.model.value("target_transform", std::string("none"));
  g.model = model_options(run);
  g.batch_size = inference_batch_size(o);
  const train::ResolvedRuntime rt = train::apply_runtime(runtime_for(run, flags));
  for (const auto& ckpt : network_checkpoints(run)) {
    g.nets.push_back(RegressionModel::load(g.model, ckpt, rt.device));
    g.nets.back()->set_precision(rt.precision);
  }
  return g;
}

// Predictions (user units, clipped at 0: a diameter) for compositions that encode; `errors[i]` says why one did not.
std::vector<double> predict_compositions(LoadedGfa& g, const std::vector<data::Composition>& comps,
                                         std::vector<std::string>& errors) {
  std::vector<float> images;
  std::vector<size_t> ok;
  errors.assign(comps.size(), "");
  for (size_t i = 0; i < comps.size(); ++i) {
    try {
      const auto img = data::encode_composition(comps[i], g.encoding);
      images.insert(images.end(), img.begin(), img.end());
      ok.push_back(i);
    } catch (const InputError& e) {
      errors[i] = e.what();
    }
  }
  std::vector<double> out(comps.size(), NAN);
  if (ok.empty()) return out;
  // An ensemble averages its members' predictions in user units, as the cross-validation did.
  for (size_t k = 0; k < ok.size(); ++k) out[ok[k]] = 0;
  for (auto& net : g.nets) {
    const auto raw = net->predict(images.data(), ok.size(), g.encoding.channels(), g.encoding.height(), g.encoding.width(), g.batch_size);
    for (size_t k = 0; k < ok.size(); ++k)
      out[ok[k]] += train::to_user_units(raw[k], g.transform, kDmaxIsNonNegative) / static_cast<double>(g.nets.size());
  }
  return out;
}

// The run's column name when the table has it, else auto-detection.
std::string column_choice(const CsvTable& t, const Json& model, const char* key) {
  const std::string name = model.value(key, std::string());
  return !name.empty() && std::find(t.header.begin(), t.header.end(), name) != t.header.end() ? name : "auto";
}

}  // namespace

std::string gfa_network_checkpoint(const Run& run) {
  const auto ckpts = network_checkpoints(run);
  if (ckpts.size() != 1)
    throw InputError(run.paths.dir + ": an ensemble of " + std::to_string(ckpts.size()) +
                     " networks; --export writes one network (train with ensemble.members 1)");
  return ckpts.front();
}

int eval_gfa(const GfaOptions& o, const Run& run, const EvalRequest& req) {
  std::vector<double> truth, pred;
  std::string label;
  size_t skipped = 0;
  if (!req.data.empty() || fs::exists(run.paths.split())) {
    const bool on_split = req.data.empty();
    const std::string path = on_split ? o.data.csv : req.data;
    const CsvTable csv = read_csv(path);
    GfaTable table = read_gfa_table(csv, column_choice(csv, run.model, "formula_column"),
                                    column_choice(csv, run.model, "target_column"));
    if (table.target_column.empty()) throw InputError(path + ": no target column (a name with dmax or d_max) to score against");
    std::vector<GfaRow> rows;
    if (on_split) {  // the rows split.csv puts in the requested part
      std::vector<bool> wanted(table.rows.empty() ? 0 : table.rows.back().row + 1, false);
      for (const auto& e : run::read_split_file(run.paths.split())) {
        const auto row = static_cast<size_t>(e.row);
        if (e.split == req.split && row < wanted.size()) wanted[row] = true;
      }
      for (auto& r : table.rows)
        if (wanted[r.row]) rows.push_back(std::move(r));
      if (rows.empty()) throw InputError(run.paths.split() + ": no rows in split '" + req.split + "'");
      label = req.split;
    } else {
      rows = std::move(table.rows);
      label = fs::path(path).stem().string();
    }
    skipped = table.skipped.size();
    LoadedGfa g = load_gfa(o, run, req.common);
    std::vector<data::Composition> comps;
    for (const auto& r : rows) comps.push_back(r.composition);
    std::vector<std::string> errors;
    const auto p = predict_compositions(g, comps, errors);
    for (size_t i = 0; i < rows.size(); ++i) {
      if (!errors[i].empty()) {
        spdlog::warn("{}: row {}: {}", path, rows[i].row, errors[i]);
        ++skipped;
        continue;
      }
      truth.push_back(rows[i].target);
      pred.push_back(p[i]);
    }
  } else {  // a cross-validated run: its out-of-fold predictions
    const std::string oof = run.paths.dir + "/oof_predictions.csv";
    const CsvTable t = read_csv(oof);
    const size_t tc = 3, pc = t.column("predicted");
    for (size_t r = 0; r < t.rows.size(); ++r) {
      truth.push_back(data::numeric_cell(t, r, tc));
      pred.push_back(data::numeric_cell(t, r, pc));
    }
    label = "oof";
  }
  if (truth.empty()) throw InputError("nothing to evaluate: no readable rows");
  const auto m = eval::regression_metrics(truth, pred);
  Json j = eval::to_json(m);
  j["skipped"] = skipped;
  const std::string out = req.out_path.empty() ? run.paths.dir + "/eval_" + label + ".json" : req.out_path;
  config::write_json_file(out, j);
  std::cout << "Dmax on " << label << ": " << metrics_line(j) << (skipped ? ", " + std::to_string(skipped) + " skipped" : "")
            << "\nwritten to " << out << "\n";
  return 0;
}

namespace {

std::string system_file_stem(const std::string& system) {
  std::string s = system;
  std::replace(s.begin(), s.end(), ' ', '_');
  return "design_" + s;
}

int predict_ternary(const GfaOptions& o, const Run& run, const PredictRequest& req, LoadedGfa& g) {
  const std::string system = req.task_options.text("system");
  const double step = req.task_options.number("step");
  const auto grid = ternary_grid(system, step);
  std::vector<data::Composition> comps;
  for (const auto& p : grid) comps.push_back(data::parse_formula(p.formula));
  std::vector<std::string> errors;
  const auto pred = predict_compositions(g, comps, errors);
  for (size_t i = 0; i < errors.size(); ++i)
    if (!errors[i].empty()) throw InputError("--system " + system + ": " + errors[i]);
  const auto symbols = system_elements(system);
  const std::string csv = req.output.empty() ? run.paths.dir + "/" + system_file_stem(system) + ".csv" : req.output;
  {
    std::ostringstream out;
    out << symbols[0] << "_at_pct," << symbols[1] << "_at_pct," << symbols[2] << "_at_pct,formula,predicted\n";
    for (size_t i = 0; i < grid.size(); ++i)
      out << fixed(100 * grid[i].fractions[0], 2) << ',' << fixed(100 * grid[i].fractions[1], 2) << ','
          << fixed(100 * grid[i].fractions[2], 2) << ',' << grid[i].formula << ',' << fixed(pred[i], 4) << '\n';
    write_text_atomically(csv, out.str());
  }
  std::vector<std::array<double, 3>> points;
  for (const auto& p : grid) points.push_back(p.fractions);
  const std::string png = fs::path(csv).replace_extension(".png").string();
  vision::write_png(png, vision::ternary_map(points, pred, {symbols[0], symbols[1], symbols[2]},
                                             "Predicted Dmax (mm), " + system, "Dmax (mm)"));
  std::vector<size_t> order(grid.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return pred[a] > pred[b]; });
  const size_t top = std::min(order.size(), static_cast<size_t>(o.design_top));
  std::cout << "Best compositions of " << system << " (step " << amount_text(step) << " at.%, " << grid.size()
            << " predicted):\n  rank  formula                    predicted Dmax (mm)\n";
  for (size_t k = 0; k < top; ++k) {
    std::string f = grid[order[k]].formula;
    f.resize(std::max<size_t>(f.size(), 26), ' ');
    std::cout << "  " << std::setw(4) << k + 1 << "  " << f << " " << fixed(pred[order[k]], 2) << "\n";
  }
  std::cout << "grid written to " << csv << ", map to " << png << "\n";
  return 0;
}

}  // namespace

int predict_gfa(const GfaOptions& options, const Run& run, const PredictRequest& req) {
  const auto formulas = req.task_options.list("formula");
  if (req.input.empty() && formulas.empty() && !req.task_options.has("system"))
    throw InputError("give --input CSV, --formula F or --system A-B-C");
  LoadedGfa g = load_gfa(options, run, req.common);
  if (req.task_options.has("system")) return predict_ternary(options, run, req, g);
  // Rows of a CSV, or the --formula values.
  struct Item {
    std::string row, formula, error;
    data::Composition composition;
  };
  std::vector<Item> items;
  if (!formulas.empty()) {
    for (size_t i = 0; i < formulas.size(); ++i) {
      Item it{std::to_string(i + 1), formulas[i], "", {}};
      try {
        it.composition = data::parse_formula(it.formula);
      } catch (const data::FormulaError& e) {
        it.error = e.what();
      }
      items.push_back(std::move(it));
    }
  } else {
    const CsvTable csv = read_csv(req.input);
    const GfaTable t = read_gfa_table(csv, column_choice(csv, run.model, "formula_column"), "");
    for (const auto& r : t.rows) items.push_back({std::to_string(r.row), r.formula, "", r.composition});
    for (const auto& s : t.skipped) {  // unreadable formulas are reported in the output, not fatal
      const auto pos = s.find(": row ");
      const auto num = pos == std::string::npos ? std::string("?") : s.substr(pos + 6, s.find(' ', pos + 6) - pos - 6);
      items.push_back({num, "", s, {}});
    }
    std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
      return std::atoll(a.row.c_str()) < std::atoll(b.row.c_str());
    });
  }
  std::vector<data::Composition> comps;
  std::vector<size_t> readable;
  for (size_t i = 0; i < items.size(); ++i)
    if (items[i].error.empty()) {
      comps.push_back(items[i].composition);
      readable.push_back(i);
    }
  std::vector<std::string> errors;
  const auto pred = predict_compositions(g, comps, errors);
  std::ostringstream o;
  o << "row,formula,predicted,error\n";
  std::vector<double> value(items.size(), NAN);
  for (size_t k = 0; k < readable.size(); ++k) {
    value[readable[k]] = pred[k];
    items[readable[k]].error = errors[k];
  }
  size_t failed = 0;
  for (size_t i = 0; i < items.size(); ++i) {
    failed += !items[i].error.empty();
    // One line per row: the parser's caret drawing stays in the log, its "at position N" in the CSV.
    const std::string error = items[i].error.substr(0, items[i].error.find('\n'));
    o << items[i].row << ',' << csv_escape(items[i].formula) << ',' << (items[i].error.empty() ? fixed(value[i], 4) : "")
      << ',' << csv_escape(error) << '\n';
  }
  if (req.output.empty()) {
    std::cout << o.str();
  } else {
    write_text_atomically(req.output, o.str());
    spdlog::info("{} predictions written to {}", items.size() - failed, req.output);
  }
  if (failed) spdlog::warn("{} row(s) could not be predicted (see the error column)", failed);
  return 0;
}

}  // namespace alloyml::tasks
