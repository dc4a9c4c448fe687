// alloyml-train / -eval / -predict for glass-forming ability (Dmax) from composition images.
#include "alloyml/tasks/gfa.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <numeric>
#include <sstream>

#include <spdlog/spdlog.h>

#include "alloyml/core/error.h"
#include "alloyml/core/fs.h"
#include "alloyml/core/log.h"
#include "alloyml/core/progress.h"
#include "alloyml/core/rng.h"
#include "alloyml/core/signals.h"
#include "alloyml/core/text.h"
#include "alloyml/data/gfa_synthetic.h"
#include "alloyml/data/tabular.h"
#include "alloyml/eval/metric_goal.h"
#include "alloyml/eval/metrics.h"
#include "alloyml/eval/metrics_io.h"
#include "alloyml/tasks/config.h"
#include "alloyml/tasks/regression.h"
#include "alloyml/tasks/report.h"
#include "alloyml/tasks/shared.h"
#include "alloyml/train/callbacks.h"
#include "alloyml/train/regression.h"
#include "alloyml/vision/plot.h"

namespace fs = std::filesystem;
using alloyml::config::Json;

namespace alloyml::tasks {

// Dmax is a diameter: predictions below 0 mean "no bulk glass" and are reported as 0.
constexpr bool kDmaxIsNonNegative = true;

// ---------------------------------------------------------------------------------------------
// Tables, grids, encodings.

std::string find_column(const std::vector<std::string>& header, const std::vector<std::string>& keys) {
  for (const auto& key : keys)
    for (const auto& h : header) {
      std::string lower = h;
      std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
      if (lower.find(key) != std::string::npos) return h;
    }
  return "";
}

GfaTable read_gfa_table(const std::string& path, const std::string& formula_column, const std::string& target_column) {
  return read_gfa_table(read_csv(path), formula_column, target_column);
}

GfaTable read_gfa_table(const CsvTable& t, const std::string& formula_column, const std::string& target_column) {
  const std::string& path = t.path;
  GfaTable out;
  out.path = path;
  out.formula_column = formula_column.empty() || formula_column == "auto"
                           ? find_column(t.header, {"formula", "alloy", "composition"})
                           : formula_column;
  if (out.formula_column.empty())
    throw InputError(path + ": no formula column (a name with formula, alloy or composition); columns: " + join(t.header) +
                     "; name it with data.formula_column");
  const size_t fc = t.column(out.formula_column);
  out.target_column = target_column == "auto" ? find_column(t.header, {"dmax", "d_max"}) : target_column;
  const bool has_target = !out.target_column.empty();
  const size_t tc = has_target ? t.column(out.target_column) : 0;
  for (size_t r = 0; r < t.rows.size(); ++r) {
    GfaRow row;
    row.row = r + 1;
    row.line = t.line_numbers[r];
    row.formula = trim(t.rows[r][fc]);
    const std::string where = path + ": row " + std::to_string(row.row) + " (line " + std::to_string(row.line) + ")";
    try {
      row.composition = data::parse_formula(row.formula);
    } catch (const data::FormulaError& e) {
      out.skipped.push_back(where + ": " + e.what());
      continue;
    }
    row.target = NAN;
    if (has_target) {
      row.target = data::numeric_cell(t, r, tc);
      if (row.target < 0)
        throw InputError(where + ", column '" + out.target_column + "': a negative value (" + t.rows[r][tc] + ")");
    }
    out.rows.push_back(std::move(row));
  }
  return out;
}

namespace {

std::string amount_text(double v) {
  std::ostringstream os;
  os << std::round(v * 1e6) / 1e6;
  return os.str();
}

}  // namespace

std::vector<std::string> system_elements(const std::string& system) {
  std::vector<std::string> symbols;
  std::stringstream ss(system);
  for (std::string s; std::getline(ss, s, '-');) symbols.push_back(trim(s));
  if (symbols.size() != 3)
    throw InputError("--system '" + system + "': give three elements separated by '-', e.g. La-Co-Al");
  for (const auto& s : symbols)
    if (data::atomic_number(s) == 0) throw InputError("--system '" + system + "': '" + s + "' is not an element symbol");
  if (symbols[0] == symbols[1] || symbols[0] == symbols[2] || symbols[1] == symbols[2])
    throw InputError("--system '" + system + "': the three elements must differ");
  return symbols;
}

std::vector<TernaryPoint> ternary_grid(const std::string& system, double step) {
  const auto symbols = system_elements(system);
  const double n_steps = 100.0 / step;
  if (!(step > 0) || step > 100 || std::fabs(n_steps - std::round(n_steps)) > 1e-9)
    throw InputError("--step " + amount_text(step) + ": must divide 100 (e.g. 1, 2, 2.5, 5)");
  const int n = static_cast<int>(std::lround(n_steps));
  std::vector<TernaryPoint> out;
  for (int i = n; i >= 0; --i)
    for (int j = n - i; j >= 0; --j) {
      const int k = n - i - j;
      TernaryPoint p;
      p.fractions = {static_cast<double>(i) / n, static_cast<double>(j) / n, static_cast<double>(k) / n};
      for (size_t e = 0; e < 3; ++e)
        if (p.fractions[e] > 0) p.formula += symbols[e] + amount_text(100.0 * p.fractions[e]);
      out.push_back(std::move(p));
    }
  return out;
}

Json encoding_to_json(const data::CompositionEncoding& e) {
  std::vector<std::string> symbols;
  for (int z : e.elements) symbols.push_back(data::element_symbol(z));
  return Json{{"kind", e.kind}, {"elements", symbols}, {"properties", e.properties}, {"size", e.size}};
}

data::CompositionEncoding encoding_from_json(const Json& j, const std::string& source) {
  try {
    data::CompositionEncoding e;
    e.kind = j.at("kind").get<std::string>();
    for (const auto& s : j.at("elements")) {
      const int z = data::atomic_number(s.get<std::string>());
      if (z == 0) throw InputError(source + ": encoding.elements: unknown element '" + s.get<std::string>() + "'");
      e.elements.push_back(z);
    }
    std::sort(e.elements.begin(), e.elements.end());
    e.properties = j.at("properties").get<std::vector<std::string>>();
    e.size = j.at("size").get<int>();
    return e;
  } catch (const Json::exception& ex) {
    throw InputError(source + ": the composition encoding is incomplete (" + ex.what() + ")");
  }
}

namespace {

// ---------------------------------------------------------------------------------------------
// Training.

// Images of `rows` (all valid for the encoding), in the training space of `transform`.
RegressionData encode_rows(const std::vector<GfaRow>& rows, const data::CompositionEncoding& e,
                           const std::string& transform) {
  RegressionData d;
  d.c = e.channels();
  d.h = e.height();
  d.w = e.width();
  d.images.resize(rows.size() * d.sample_floats());
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto img = data::encode_composition(rows[i].composition, e);
    std::copy(img.begin(), img.end(), d.images.begin() + static_cast<std::ptrdiff_t>(i * d.sample_floats()));
    d.raw.push_back(rows[i].target);
    d.targets.push_back(std::isnan(rows[i].target) ? 0.0 : train::transform_target(rows[i].target, transform));
  }
  return d;
}

train::LdsOptions lds_options(const Json& l) {
  train::LdsOptions o;
  o.enabled = l["enabled"];
  o.bins = l["bins"];
  o.kernel_size = l["kernel_size"];
  o.sigma = l["sigma"];
  o.reweight = l["reweight"];
  return o;
}

// Rows per inference batch, in validation during training and in every prediction after it: bf16
// kernels round differently at other batch sizes, and best.pt must reproduce its validation figure.
int inference_batch_size(const Json& cfg) {
  const auto topt = train_options(cfg["train"]);
  return topt.eval_batch_size > 0 ? topt.eval_batch_size : std::max(topt.batch_size, 64);
}

RegressionSetup regression_setup(const Json& cfg, const data::CompositionEncoding& e, const train::ResolvedRuntime& rt) {
  RegressionSetup s;
  s.model = model_options(cfg["model"]);
  s.model.num_classes = 1;
  s.model.in_channels = e.channels();
  s.optim = optim_options(cfg["optim"]);
  s.transfer = transfer_options(cfg["transfer"]);
  s.loss = cfg["loss"]["name"];
  s.huber_delta = cfg["loss"]["huber_delta"];
  s.target_transform = cfg["loss"]["target_transform"];
  s.non_negative_target = kDmaxIsNonNegative;
  s.mixup_alpha = cfg["mixup"]["alpha"];
  s.mixup_prob = cfg["mixup"]["prob"];
  const auto topt = train_options(cfg["train"]);
  s.batch_size = topt.batch_size;
  s.eval_batch_size = inference_batch_size(cfg);
  s.device = rt.device;
  s.precision = rt.precision;
  s.seed = cfg["seed"];
  return s;
}

struct FitOutcome {
  std::vector<double> predictions;  ///< user units, for `predict_idx`
  std::string checkpoint;           ///< the one used
  int epochs = 0;
  double seconds = 0, rows_per_s = 0;
};

// Trains one network on `train_idx` (metrics on `val_idx` each epoch) in `dir`, resuming from its
// last.pt when asked, and predicts `predict_idx` with best.pt (`use_best`) or last.pt.
FitOutcome fit_network(const Json& cfg, RegressionSetup setup, RegressionData& data, const std::vector<size_t>& train_idx,
                       const std::vector<size_t>& val_idx, const std::vector<size_t>& predict_idx, const RunPaths& dir,
                       bool use_best, bool resume, bool quiet) {
  const double t0 = train::monotonic_seconds();
  fs::create_directories(dir.checkpoints());
  // Label-distribution smoothing over this network's training targets only.
  std::vector<double> train_targets;
  for (size_t i : train_idx) train_targets.push_back(data.targets[i]);
  const auto w = train::lds_weights(train_targets, lds_options(cfg["loss"]["lds"]));
  data.weights.assign(data.size(), 1.0);
  for (size_t k = 0; k < train_idx.size(); ++k) data.weights[train_idx[k]] = w[k];

  auto topt = train_options(cfg["train"]);
  if (!use_best) {
    topt.monitor = "train_loss";
    topt.monitor_mode = eval::monitor_mode(topt.monitor, "auto");
    topt.early_stopping_patience = 0;  // nothing held out may steer a fold
  }
  auto task = make_regression_task(setup, data, train_idx, val_idx);
  auto timer = std::make_shared<train::StepTimer>();
  std::vector<std::shared_ptr<train::Callback>> callbacks{
      std::make_shared<train::LrSchedule>(schedule_options(cfg["schedule"])), timer,
      std::make_shared<train::Checkpointer>(dir.checkpoints(), topt.monitor, topt.monitor_mode == "max"),
      std::make_shared<train::EarlyStopping>(topt.monitor, topt.monitor_mode == "max", topt.early_stopping_patience),
      std::make_shared<train::MetricsLog>(dir.metrics()),
      std::make_shared<train::ProgressLog>(stderr_is_terminal(), topt.log_interval_s, !quiet)};
  train::Trainer trainer(*task, topt.epochs, callbacks);
  if (resume && fs::exists(dir.last())) {
    trainer.resume_from(dir.last());
    spdlog::info("{}: resuming at epoch {}", dir.dir, trainer.state().epoch + 1);
  }
  trainer.fit();

  FitOutcome out;
  out.checkpoint = use_best && fs::exists(dir.best()) ? dir.best() : dir.last();
  out.epochs = trainer.state().epoch;
  out.rows_per_s = timer->items_per_second();
  if (!predict_idx.empty()) {
    auto model = RegressionModel::load(setup.model, out.checkpoint, setup.device);
    model->set_precision(setup.precision);
    std::vector<float> images;
    for (size_t i : predict_idx) {
      const auto* p = data.images.data() + i * data.sample_floats();
      images.insert(images.end(), p, p + data.sample_floats());
    }
    for (double v : model->predict(images.data(), predict_idx.size(), data.c, data.h, data.w, setup.eval_batch_size))
      out.predictions.push_back(train::to_user_units(v, setup.target_transform, setup.non_negative_target));
  }
  out.seconds = train::monotonic_seconds() - t0;
  return out;
}

// Where ensemble member `m` (0-based) of a fit in `dir` lives: member 0 in `dir` itself (so a
// single network keeps the usual layout), the others in dir/members/<m + 1>.
RunPaths member_paths(const RunPaths& dir, int m) {
  if (m == 0) return dir;
  RunPaths p;
  p.dir = dir.dir + "/members/" + std::to_string(m + 1);
  return p;
}

// `ensemble.members` networks with seeds seed, seed + 1, ...; their predictions (user units)
// averaged. Each member checkpoints and resumes on its own.
FitOutcome fit_ensemble(const Json& cfg, const RegressionSetup& setup, RegressionData& data,
                        const std::vector<size_t>& train_idx, const std::vector<size_t>& val_idx,
                        const std::vector<size_t>& predict_idx, const RunPaths& dir, bool use_best, bool resume,
                        bool quiet) {
  const int members = cfg["ensemble"]["members"];
  FitOutcome out;
  out.predictions.assign(predict_idx.size(), 0.0);
  for (int m = 0; m < members; ++m) {
    RegressionSetup s = setup;
    s.seed = setup.seed + static_cast<uint64_t>(m);
    if (members > 1) spdlog::info("{}: ensemble member {}/{} (seed {})", dir.dir, m + 1, members, s.seed);
    const auto fit = fit_network(cfg, s, data, train_idx, val_idx, predict_idx, member_paths(dir, m), use_best, resume, quiet);
    for (size_t j = 0; j < predict_idx.size(); ++j) out.predictions[j] += fit.predictions[j] / members;
    if (m == 0) out.checkpoint = fit.checkpoint;
    out.epochs = fit.epochs;
    out.seconds += fit.seconds;
    out.rows_per_s += fit.rows_per_s / members;
  }
  return out;
}

eval::RegressionMetrics metrics_of(const RegressionData& d, const std::vector<size_t>& idx, const std::vector<double>& pred) {
  std::vector<double> truth;
  for (size_t i : idx) truth.push_back(d.raw[i]);
  return eval::regression_metrics(truth, pred);
}

Json mean_std(const std::vector<eval::RegressionMetrics>& folds) {
  Json mean, sd;
  for (const char* key : {"rmse", "mae", "r2", "r"}) {
    std::vector<double> v;
    for (const auto& m : folds) v.push_back(eval::to_json(m)[key].get<double>());
    const double mu = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
    double ss = 0;
    for (double x : v) ss += (x - mu) * (x - mu);
    mean[key] = mu;
    sd[key] = v.size() > 1 ? std::sqrt(ss / static_cast<double>(v.size() - 1)) : 0.0;
  }
  return Json{{"mean", mean}, {"std", sd}};
}

std::string metrics_line(const Json& m) {
  return "RMSE " + fixed(m["rmse"], 3) + "  MAE " + fixed(m["mae"], 3) + "  R^2 " + fixed(m["r2"], 4) + "  r " +
         fixed(m["r"], 4) + "  (n " + std::to_string(m["n"].get<int64_t>()) + ")";
}

data::CompositionEncoding encoding_for(const Json& cfg, const GfaTable& table) {
  data::CompositionEncoding e;
  e.kind = cfg["encoding"]["kind"];
  e.properties = cfg["encoding"]["properties"].get<std::vector<std::string>>();
  e.size = cfg["encoding"]["size"];
  if (e.size == 0 && !cfg["model"]["pretrained"].is_null()) {
    e.size = 224;  // ImageNet weights saw 224 px images
    spdlog::info("encoding.size 0 with model.pretrained: composition images are resized to 224 px");
  }
  std::vector<data::Composition> comps;
  for (const auto& r : table.rows) comps.push_back(r.composition);
  const auto listed = cfg["data"]["elements"].get<std::vector<std::string>>();
  e.elements = listed.empty() ? data::element_union(comps) : data::parse_element_list(join(listed, " "));
  return e;
}

}  // namespace

int train_gfa(const Json& cfg, const RunPaths& paths, bool resume, bool quiet, double t_start) {
  const std::string csv = cfg["data"]["csv"];
  auto nullable_str = [](const Json& v) { return v.is_null() ? std::string("auto") : v.get<std::string>(); };
  GfaTable table = read_gfa_table(csv, nullable_str(cfg["data"]["formula_column"]), nullable_str(cfg["data"]["target_column"]));
  if (table.target_column.empty())
    throw InputError(csv + ": no target column (a name with dmax or d_max); name it with data.target_column");
  for (const auto& s : table.skipped) spdlog::warn("skipped {}", s);
  const data::CompositionEncoding enc = encoding_for(cfg, table);
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
  const int folds = cfg["cv"]["folds"];
  if (rows.size() < 4 || (folds > 0 && rows.size() < static_cast<size_t>(folds)))
    throw InputError(csv + ": only " + std::to_string(rows.size()) + " usable rows");
  const train::ResolvedRuntime rt = train::apply_runtime(runtime_options(cfg["runtime"]));
  const RegressionSetup setup = regression_setup(cfg, enc, rt);
  RegressionData data = encode_rows(rows, enc, setup.target_transform);
  spdlog::info("{}: {} alloys of {} elements, {} skipped; images {} x {} x {} ({})", csv, rows.size(), enc.elements.size(),
               table.skipped.size(), data.c, data.h, data.w, enc.kind);

  // model.json: what eval and predict need to rebuild the images and the network.
  Json model_json{{"task", "gfa"},
                  {"arch", setup.model.name},
                  {"model", to_json(setup.model)},
                  {"encoding", encoding_to_json(enc)},
                  {"target_transform", setup.target_transform},
                  {"formula_column", table.formula_column},
                  {"target_column", table.target_column},
                  {"checkpoint", folds > 0 ? "last.pt" : "best.pt"},
                  {"class_names", Json::array()}};  // a regression: no classes
  // An ensemble: every member's checkpoint, relative to the run directory (predictions averaged).
  for (int m = 0; m < cfg["ensemble"]["members"].get<int>(); ++m)
    model_json["checkpoints"].push_back(fs::path(member_paths(RunPaths{"."}, m).checkpoints()).lexically_normal().string() +
                                        "/" + model_json["checkpoint"].get<std::string>());
  config::write_json_file(paths.model(), model_json);
  install_stop_handlers();

  Json summary{{"name", cfg["name"]}, {"task", "gfa"}, {"model", setup.model.name}, {"rows", rows.size()},
               {"elements", encoding_to_json(enc)["elements"]}, {"skipped_rows", table.skipped.size()},
               {"skipped", table.skipped}};
  std::vector<ParityPoint> parity;
  std::vector<GfaFoldRow> fold_rows;
  if (folds > 0) {
    const auto fold_of = train::regression_folds(data.raw, folds, cfg["data"]["split"]["seed"]);
    std::vector<double> oof(rows.size(), NAN);
    std::vector<eval::RegressionMetrics> per_fold;
    Json fold_json = Json::array();
    for (int k = 0; k < folds; ++k) {
      RunPaths fp;
      fp.dir = paths.dir + "/folds/" + std::to_string(k + 1);
      std::vector<size_t> tr, te;
      for (size_t i = 0; i < rows.size(); ++i) (fold_of[i] == k ? te : tr).push_back(i);
      const std::string result_path = fp.dir + "/result.json";
      std::vector<double> pred;
      double seconds = 0;
      if (resume && fs::exists(result_path)) {
        const Json r = config::load_json_file(result_path);
        pred = r["predictions"].get<std::vector<double>>();
        seconds = r["seconds"];
        if (pred.size() != te.size()) throw InputError(result_path + ": does not match this run's folds");
        spdlog::info("fold {}/{}: done before ({} rows)", k + 1, folds, te.size());
      } else {
        spdlog::info("fold {}/{}: training on {} rows, {} held out", k + 1, folds, tr.size(), te.size());
        const auto fit = fit_ensemble(cfg, setup, data, tr, te, te, fp, false, resume, quiet);
        pred = fit.predictions;
        seconds = fit.seconds;
        config::write_json_file(result_path, Json{{"fold", k + 1}, {"rows", te}, {"predictions", pred}, {"seconds", seconds}});
      }
      for (size_t j = 0; j < te.size(); ++j) oof[te[j]] = pred[j];
      const auto m = metrics_of(data, te, pred);
      per_fold.push_back(m);
      Json fj = eval::to_json(m);
      fj["fold"] = k + 1;
      fj["seconds"] = seconds;
      fold_json.push_back(fj);
      fold_rows.push_back({k + 1, m, seconds});
      spdlog::info("fold {}/{}: {}", k + 1, folds, metrics_line(fj));
    }
    std::vector<size_t> all(rows.size());
    std::iota(all.begin(), all.end(), size_t{0});
    summary["cv"] = mean_std(per_fold);
    summary["cv"]["folds"] = fold_json;
    summary["cv"]["k"] = folds;
    summary["cv"]["pooled"] = eval::to_json(metrics_of(data, all, oof));
    // Out-of-fold predictions, one per alloy.
    write_atomically(paths.dir + "/oof_predictions.csv", [&](const std::string& tmp) {
      std::ofstream o(tmp);
      o << "row,formula,fold," << csv_escape(table.target_column) << ",predicted\n";
      for (size_t i = 0; i < rows.size(); ++i)
        o << rows[i].row << ',' << csv_escape(rows[i].formula) << ',' << fold_of[i] + 1 << ',' << rows[i].target << ','
          << fixed(oof[i], 4) << '\n';
    });
    for (size_t i = 0; i < rows.size(); ++i) parity.push_back({2, rows[i].target, oof[i]});
    if (cfg["cv"]["final_model"].get<bool>()) {
      spdlog::info("final model: training on all {} rows", rows.size());
      const auto fit = fit_ensemble(cfg, setup, data, all, {}, {}, paths, false, resume, quiet);
      summary["final"] = Json{{"checkpoint", "last.pt"}, {"epochs", fit.epochs}, {"seconds", fit.seconds},
                              {"rows_per_s", fit.rows_per_s}};
    }
  } else {
    std::vector<size_t> all(rows.size());
    std::iota(all.begin(), all.end(), size_t{0});
    const train::RowSplit split = train::random_row_split(all, cfg["data"]["split"]["val"], cfg["data"]["split"]["test"],
                                                         cfg["data"]["split"]["seed"], csv);
    const std::vector<size_t>&tr = split.train, &va = split.val, &te = split.test;
    if (va.empty() && train_options(cfg["train"]).monitor.rfind("val_", 0) == 0)
      throw InputError(cfg["output"]["dir"].get<std::string>() + "/config.json: no validation rows (data.split.val is 0); set "
                                                                   "train.monitor to train_loss");
    write_atomically(paths.split(), [&](const std::string& tmp) {
      std::ofstream o(tmp);
      o << "row,formula,split\n";
      std::vector<const char*> part(rows.size(), "train");
      for (size_t i : va) part[i] = "val";
      for (size_t i : te) part[i] = "test";
      for (size_t i = 0; i < rows.size(); ++i) o << rows[i].row << ',' << csv_escape(rows[i].formula) << ',' << part[i] << '\n';
    });
    std::vector<size_t> scored = va;
    scored.insert(scored.end(), te.begin(), te.end());
    const auto fit = fit_ensemble(cfg, setup, data, tr, va, scored, paths, true, resume, quiet);
    const std::vector<double> pv(fit.predictions.begin(), fit.predictions.begin() + static_cast<std::ptrdiff_t>(va.size()));
    const std::vector<double> pt(fit.predictions.begin() + static_cast<std::ptrdiff_t>(va.size()), fit.predictions.end());
    if (!va.empty()) summary["val"] = eval::to_json(metrics_of(data, va, pv));
    if (!te.empty()) summary["test"] = eval::to_json(metrics_of(data, te, pt));
    for (size_t j = 0; j < te.size(); ++j) parity.push_back({2, data.raw[te[j]], pt[j]});
    summary["final"] = Json{{"checkpoint", fs::path(fit.checkpoint).filename().string()}, {"epochs", fit.epochs},
                            {"seconds", fit.seconds}, {"rows_per_s", fit.rows_per_s}};
  }
  summary["wall_time_s"] = train::monotonic_seconds() - t_start;
  summary["device"] = rt.device;
  summary["precision"] = rt.precision;
  summary["precision_reason"] = rt.reason;
  summary["threads"] = rt.threads;
  config::write_json_file(paths.summary(), summary);
  if (cfg["output"]["report"].get<bool>()) write_gfa_report(paths, summary, parity, fold_rows);
  std::cout << format_gfa_table(summary, "Glass-forming ability (" + table.target_column + ") of " + paths.dir);
  if (!table.skipped.empty()) spdlog::warn("{} row(s) were skipped (listed in summary.json)", table.skipped.size());
  spdlog::info("done in {:.0f} s; run directory {}", summary["wall_time_s"].get<double>(), paths.dir);
  return 0;
}

// ---------------------------------------------------------------------------------------------
// Evaluation and prediction with a trained run.

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

LoadedGfa load_gfa(const Run& run, const CommonFlags& flags) {
  LoadedGfa g;
  const std::string src = run.paths.model();
  g.encoding = encoding_from_json(run.model.at("encoding"), src);
  g.transform = run.model.value("target_transform", std::string("none"));
  g.model = model_options(run.model.at("model"));
  g.batch_size = inference_batch_size(run.config);
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

int eval_gfa(const Run& run, const EvalRequest& req) {
  std::vector<double> truth, pred;
  std::string label;
  size_t skipped = 0;
  if (!req.data.empty() || fs::exists(run.paths.split())) {
    const bool on_split = req.data.empty();
    const std::string path = on_split ? run.config["data"]["csv"].get<std::string>() : req.data;
    const CsvTable csv = read_csv(path);
    GfaTable table = read_gfa_table(csv, column_choice(csv, run.model, "formula_column"),
                                    column_choice(csv, run.model, "target_column"));
    if (table.target_column.empty()) throw InputError(path + ": no target column (a name with dmax or d_max) to score against");
    std::vector<GfaRow> rows;
    if (on_split) {  // the rows split.csv puts in the requested part
      const CsvTable s = read_csv(run.paths.split());
      const size_t rc = s.column("row"), pc = s.column("split");
      std::vector<bool> wanted(table.rows.empty() ? 0 : table.rows.back().row + 1, false);
      for (const auto& r : s.rows) {
        const size_t row = std::stoul(r[rc]);
        if (r[pc] == req.split && row < wanted.size()) wanted[row] = true;
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
    LoadedGfa g = load_gfa(run, req.common);
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

int predict_ternary(const Run& run, const PredictRequest& req, LoadedGfa& g) {
  const auto grid = ternary_grid(req.system, req.step);
  std::vector<data::Composition> comps;
  for (const auto& p : grid) comps.push_back(data::parse_formula(p.formula));
  std::vector<std::string> errors;
  const auto pred = predict_compositions(g, comps, errors);
  for (size_t i = 0; i < errors.size(); ++i)
    if (!errors[i].empty()) throw InputError("--system " + req.system + ": " + errors[i]);
  const auto symbols = system_elements(req.system);
  const std::string csv = req.output.empty() ? run.paths.dir + "/" + system_file_stem(req.system) + ".csv" : req.output;
  write_atomically(csv, [&](const std::string& tmp) {
    std::ofstream o(tmp);
    o << symbols[0] << "_at_pct," << symbols[1] << "_at_pct," << symbols[2] << "_at_pct,formula,predicted\n";
    for (size_t i = 0; i < grid.size(); ++i)
      o << fixed(100 * grid[i].fractions[0], 2) << ',' << fixed(100 * grid[i].fractions[1], 2) << ','
        << fixed(100 * grid[i].fractions[2], 2) << ',' << grid[i].formula << ',' << fixed(pred[i], 4) << '\n';
  });
  std::vector<std::array<double, 3>> points;
  for (const auto& p : grid) points.push_back(p.fractions);
  const std::string png = fs::path(csv).replace_extension(".png").string();
  vision::write_png(png, vision::ternary_map(points, pred, {symbols[0], symbols[1], symbols[2]},
                                             "Predicted Dmax (mm), " + req.system, "Dmax (mm)"));
  std::vector<size_t> order(grid.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return pred[a] > pred[b]; });
  const size_t top = std::min(order.size(), static_cast<size_t>(run.config["design"]["top"].get<int>()));
  std::cout << "Best compositions of " << req.system << " (step " << amount_text(req.step) << " at.%, " << grid.size()
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

int predict_gfa(const Run& run, const PredictRequest& req) {
  LoadedGfa g = load_gfa(run, req.common);
  if (!req.system.empty()) return predict_ternary(run, req, g);
  // Rows of a CSV, or the --formula values.
  struct Item {
    std::string row, formula, error;
    data::Composition composition;
  };
  std::vector<Item> items;
  if (!req.formulas.empty()) {
    for (size_t i = 0; i < req.formulas.size(); ++i) {
      Item it{std::to_string(i + 1), req.formulas[i], "", {}};
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

// ---------------------------------------------------------------------------------------------
// alloyml-augment composition

int run_composition_image(const CompositionImageRequest& req) {
  init_logging(req.common.quiet);
  const data::Composition c = data::parse_formula(req.formula);
  data::CompositionEncoding e;
  if (!req.run_dir.empty()) {
    const Run run = open_run(req.run_dir);
    if (run.model.value("task", std::string()) != "gfa") throw InputError(req.run_dir + ": not a glass-forming-ability run");
    e = encoding_from_json(run.model.at("encoding"), run.paths.model());
    e.size = 0;  // show the native cells
  } else {
    e.kind = req.kind;
    e.properties = req.properties;
    for (const auto& [z, f] : c.fractions) e.elements.push_back(z);
  }
  const auto img = data::encode_composition(c, e);
  std::vector<std::string> titles{"fractions f_i f_j"};
  for (const auto& p : e.properties) titles.push_back(p);
  std::vector<std::string> axis;
  if (e.kind == "outer_product")
    for (int z : e.elements) axis.push_back(data::element_symbol(z));
  const size_t plane = static_cast<size_t>(e.native_height()) * static_cast<size_t>(e.native_width());
  std::vector<cv::Mat> channels;
  for (int ch = 0; ch < e.channels(); ++ch)
    channels.push_back(cv::Mat(e.native_height(), e.native_width(), CV_32F,
                               const_cast<float*>(img.data()) + static_cast<size_t>(ch) * plane)
                           .clone());
  vision::write_png(req.output, vision::composition_panel(channels, titles, axis, c.to_string(), req.scale));
  std::cout << "wrote " << req.output << " (" << e.channels() << " channel(s), " << e.native_height() << " x "
            << e.native_width() << ", " << e.kind << ")\n";
  return 0;
}

}  // namespace alloyml::tasks

namespace alloyml::tasks {

int run_gfa_synth(const GfaSynthRequest& req) {
  init_logging(req.common.quiet);
  const auto parent = fs::path(req.output).parent_path();
  if (!parent.empty()) fs::create_directories(parent);
  data::write_synthetic_alloys(req.output, req.rows, req.seed);
  std::cout << "wrote " << req.rows << " synthetic alloys to " << req.output << "\n";
  return 0;
}

}  // namespace alloyml::tasks
