#include "report.h"

#include <cstdio>

#include "alloyml/core/text.h"
#include "alloyml/run/report_page.h"
#include "alloyml/vision/plot.h"

namespace alloyml::tasks {
namespace {

std::string fmt(double v, int digits) { return fixed(v, digits); }
std::string esc(const std::string& s) { return run::html_escape(s); }

std::string metric_cells(const config::Json& m) {
  return "<td>" + fmt(m["rmse"].get<double>(), 3) + "</td><td>" + fmt(m["mae"].get<double>(), 3) + "</td><td>" +
         fmt(m["r2"].get<double>(), 4) + "</td><td>" + fmt(m["r"].get<double>(), 4) + "</td>";
}

}  // namespace

std::string format_gfa_table(const config::Json& s, const std::string& title) {
  std::string out = title + "\n";
  char buf[256];
  auto line = [&](const std::string& name, const config::Json& m, const std::string& extra) {
    std::snprintf(buf, sizeof(buf), "  %-14s %8.3f %8.3f %8.4f %8.4f %6lld %s\n", name.c_str(), m["rmse"].get<double>(),
                  m["mae"].get<double>(), m["r2"].get<double>(), m["r"].get<double>(),
                  static_cast<long long>(m.value("n", int64_t{0})), extra.c_str());
    out += buf;
  };
  std::snprintf(buf, sizeof(buf), "  %-14s %8s %8s %8s %8s %6s\n", "", "RMSE", "MAE", "R^2", "r", "n");
  out += buf;
  if (s.contains("cv")) {
    const auto& cv = s["cv"];
    for (const auto& f : cv["folds"]) line("fold " + std::to_string(f["fold"].get<int>()), f, fmt(f["seconds"].get<double>(), 0) + " s");
    std::snprintf(buf, sizeof(buf), "  %-14s %8.3f %8.3f %8.4f %8.4f\n", "mean", cv["mean"]["rmse"].get<double>(),
                  cv["mean"]["mae"].get<double>(), cv["mean"]["r2"].get<double>(), cv["mean"]["r"].get<double>());
    out += buf;
    std::snprintf(buf, sizeof(buf), "  %-14s %8.3f %8.3f %8.4f %8.4f\n", "std", cv["std"]["rmse"].get<double>(),
                  cv["std"]["mae"].get<double>(), cv["std"]["r2"].get<double>(), cv["std"]["r"].get<double>());
    out += buf;
    line("out-of-fold", cv["pooled"], "(all predictions pooled)");
  }
  for (const char* split : {"val", "test"})
    if (s.contains(split)) line(split, s[split], "");
  return out;
}

void write_gfa_report(const run::RunPaths& paths, const config::Json& summary, const std::vector<run::ParityPoint>& parity,
                      const std::vector<GfaFoldRow>& folds) {
  const bool cv = summary.contains("cv");
  std::string table = "<table><tr><th></th><th>RMSE (mm)</th><th>MAE (mm)</th><th>R&sup2;</th><th>r</th><th>n</th><th>time</th></tr>\n";
  auto row = [&](const std::string& name, const config::Json& m, const std::string& extra, const char* cls) {
    table += std::string("<tr") + (cls ? " class=\"" + std::string(cls) + "\"" : "") + "><td>" + esc(name) + "</td>" +
             metric_cells(m) + "<td>" + (m.contains("n") ? std::to_string(m["n"].get<int64_t>()) : "") + "</td><td>" + extra + "</td></tr>\n";
  };
  std::string headline;
  if (cv) {
    const auto& c = summary["cv"];
    for (const auto& f : c["folds"]) row("fold " + std::to_string(f["fold"].get<int>()), f, fmt(f["seconds"].get<double>(), 0) + " s", nullptr);
    row("mean", c["mean"], "", "avg");
    row("std", c["std"], "", nullptr);
    row("out-of-fold, pooled", c["pooled"], "", "avg");
    headline = std::to_string(c["k"].get<int>()) + "-fold cross-validation: R&sup2; <b>" + fmt(c["mean"]["r2"].get<double>(), 3) +
               " &plusmn; " + fmt(c["std"]["r2"].get<double>(), 3) + "</b>, RMSE <b>" + fmt(c["mean"]["rmse"].get<double>(), 2) +
               " &plusmn; " + fmt(c["std"]["rmse"].get<double>(), 2) + " mm</b> (mean &plusmn; std over folds). Each fold's "
               "network is its last epoch: the held-out fold chose nothing. Out-of-fold predictions: "
               "<code>oof_predictions.csv</code>.";
  }
  for (const char* split : {"val", "test"})
    if (summary.contains(split)) row(split, summary[split], "", nullptr);
  if (!cv && summary.contains("test"))
    headline = "Test split: R&sup2; <b>" + fmt(summary["test"]["r2"].get<double>(), 3) + "</b>, RMSE <b>" +
               fmt(summary["test"]["rmse"].get<double>(), 2) + " mm</b>.";
  table += "</table>\n";

  run::ReportPage page(paths, summary.value("name", std::string("run")));
  page.paragraph("Glass-forming ability (critical casting diameter) from composition images with <b>" +
                 esc(summary["model"].get<std::string>()) + "</b>, " + std::to_string(summary["rows"].get<int64_t>()) +
                 " alloys. " + headline);
  page.html(table);
  page.heading("Plots");
  vision::Series points{cv ? "out-of-fold" : "test", {}, {}};
  for (const auto& p : parity) {
    points.x.push_back(p.truth);
    points.y.push_back(p.predicted);
  }
  if (!points.x.empty())
    page.image("parity.png",
               vision::scatter_chart({points}, cv ? "Out-of-fold predictions" : "Test predictions", "measured Dmax (mm)",
                                     "predicted Dmax (mm)", true),
               "parity plot");
  if (!folds.empty()) {
    std::vector<std::string> names;
    vision::Series r2{"R^2", {}, {}};
    for (const auto& f : folds) {
      names.push_back(std::to_string(f.fold));
      r2.y.push_back(f.metrics.r2);
    }
    page.image("folds.png", vision::bar_chart(names, {r2}, "R^2 by fold", "R^2"), "R^2 by fold");
  }
  page.metric_chart({"train_loss", "val_loss"}, "loss.png", cv ? "Final model: loss" : "Loss", "loss (target space)");
  page.write(summary);
}

}  // namespace alloyml::tasks
