// alloyml-eval and alloyml-predict of a springback run, with the dynamic straightness judgement.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <optional>
#include <sstream>

#include <spdlog/spdlog.h>

#include "alloyml/core/csv.h"
#include "alloyml/core/error.h"
#include "alloyml/core/fs.h"
#include "alloyml/core/text.h"
#include "alloyml/data/tabular.h"
#include "alloyml/eval/metrics.h"
#include "alloyml/eval/metrics_io.h"
#include "dataset.h"
#include "alloyml/tasks/springback/model.h"
#include "alloyml/tasks/springback/pipeline.h"

namespace fs = std::filesystem;
using alloyml::config::Json;

namespace alloyml::tasks {

int eval_springback(const Run& run, const EvalRequest& req) {
  const auto m = SpringbackModel::from_json(run.model, run.paths.model());
  data::Samples s;
  std::string what;
  if (!req.data.empty()) {
    s = data::read_numeric_table(req.data, m.features, m.target).samples;
    what = req.data;
  } else {
    s = split_rows(run.paths.split(), m.features, m.target, req.split);
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

int predict_springback(const SpringbackOptions& o, const Run& run, const PredictRequest& req) {
  if (req.input.empty()) throw InputError("--input is required");
  const auto m = SpringbackModel::from_json(run.model, run.paths.model());
  const CsvTable csv = read_csv(req.input);
  std::vector<size_t> cols;
  for (const auto& f : m.features) cols.push_back(csv.column(f));
  auto optional_column = [&](const std::string& name) -> std::optional<size_t> {
    const auto it = std::find(csv.header.begin(), csv.header.end(), name);
    if (it == csv.header.end()) return std::nullopt;
    return static_cast<size_t>(it - csv.header.begin());
  };
  const auto deflection = optional_column(o.straightness.deflection);
  const auto tolerance = optional_column(o.straightness.tolerance);
  const auto final_deflection = optional_column(o.straightness.final_deflection);
  const double default_tolerance = o.straightness.default_tolerance_mm;
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

}  // namespace alloyml::tasks
