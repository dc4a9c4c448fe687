#include "report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "alloyml/core/text.h"
#include "alloyml/vision/plot.h"

namespace alloyml::tasks {
namespace {

using config::Json;

std::string fmt(double v, int digits) { return fixed(v, digits); }
std::string esc(const std::string& s) { return run::html_escape(s); }

double metric(const Json& row, const char* split, const char* name) {
  const Json& m = row["metrics"];
  return m.contains(split) ? m[split][name].get<double>() : std::nan("");
}

// "0.00421" or "0.00421 +- 0.00012" when repeat statistics are there.
std::string with_spread(const Json& row, const char* split, const char* name, int digits) {
  std::string s = fmt(metric(row, split, name), digits);
  const std::string key = std::string(split) + "_" + name;
  if (row.contains("repeat_statistics") && row["repeat_statistics"].contains(key))
    s += " (" + fmt(row["repeat_statistics"][key]["mean"].get<double>(), digits) + " +- " +
         fmt(row["repeat_statistics"][key]["std"].get<double>(), digits) + ")";
  return s;
}

const char* score_split(const Json& summary) { return summary["metrics"].contains("test") ? "test" : "val"; }

}  // namespace

std::string format_springback_table(const Json& summary, const std::string& title) {
  const char* split = score_split(summary);
  std::string out = title + " (" + split + " split; repeats: mean +- std in brackets)\n";
  char buf[512];
  std::snprintf(buf, sizeof(buf), "  %-18s %-26s %-10s %-10s %-10s %9s\n", "model", "RMSE", "MAE", "R^2", "R", "fit (s)");
  out += buf;
  for (const auto& row : summary["comparison"]) {
    std::snprintf(buf, sizeof(buf), "  %-18s %-26s %-10s %-10s %-10s %9.3f\n", row["name"].get<std::string>().c_str(),
                  with_spread(row, split, "rmse", 5).c_str(), fmt(metric(row, split, "mae"), 5).c_str(),
                  fmt(metric(row, split, "r2"), 5).c_str(), fmt(metric(row, split, "r"), 5).c_str(),
                  row["fit_seconds"].get<double>());
    out += buf;
  }
  out += "  R of " + summary["model"].get<std::string>() + " by split:";
  for (const char* s : {"train", "val", "test", "all"})
    if (summary["metrics"].contains(s)) out += std::string(" ") + s + " " + fmt(summary["metrics"][s]["r"].get<double>(), 5);
  out += "\n";
  for (const auto& row : summary["comparison"])
    if (row.contains("equation")) out += "  " + row["equation"].get<std::string>() + "\n";
  return out;
}

void write_springback_report(const run::RunPaths& paths, const SpringbackReportData& data) {
  const Json& summary = *data.summary;
  const std::string target = summary["target"];
  const Json& imp = summary["importance"];
  const auto features = imp["features"].get<std::vector<std::string>>();
  const char* split = score_split(summary);
  std::string cmp = "<table><tr><th>model</th><th>RMSE</th><th>MAE</th><th>R&sup2;</th><th>R</th><th>fit (s)</th></tr>\n";
  for (const auto& row : summary["comparison"])
    cmp += "<tr><td>" + esc(row["name"].get<std::string>()) + "</td><td>" + with_spread(row, split, "rmse", 5) + "</td><td>" +
           fmt(metric(row, split, "mae"), 5) + "</td><td>" + fmt(metric(row, split, "r2"), 5) + "</td><td>" +
           fmt(metric(row, split, "r"), 5) + "</td><td>" + fmt(row["fit_seconds"].get<double>(), 3) + "</td></tr>\n";
  cmp += "</table>\n";
  std::string by_split = "<table><tr><th>split</th><th>RMSE</th><th>MAE</th><th>R&sup2;</th><th>R</th><th>n</th></tr>\n";
  for (const char* s : {"train", "val", "test", "all"}) {
    if (!summary["metrics"].contains(s)) continue;
    const Json& m = summary["metrics"][s];
    by_split += std::string("<tr><td>") + s + "</td><td>" + fmt(m["rmse"].get<double>(), 5) + "</td><td>" +
                fmt(m["mae"].get<double>(), 5) + "</td><td>" + fmt(m["r2"].get<double>(), 5) + "</td><td>" +
                fmt(m["r"].get<double>(), 5) + "</td><td>" + std::to_string(m["n"].get<int64_t>()) + "</td></tr>\n";
  }
  by_split += "</table>\n";
  std::string imp_rows = "<table><tr><th>input</th><th>MIV</th><th>|MIV| share</th><th>Garson</th>"
                         "<th>permutation &Delta;RMSE</th><th>permutation share</th></tr>\n";
  for (size_t i = 0; i < features.size(); ++i)
    imp_rows += "<tr><td>" + esc(features[i]) + "</td><td>" + fmt(imp["miv"][i].get<double>(), 5) + "</td><td>" +
                fmt(imp["miv_relative"][i].get<double>(), 3) + "</td><td>" +
                (imp.contains("garson") ? fmt(imp["garson"][i].get<double>(), 3) : std::string("-")) + "</td><td>" +
                fmt(imp["permutation_rmse_increase"][i].get<double>(), 5) + "</td><td>" +
                fmt(imp["permutation_relative"][i].get<double>(), 3) + "</td></tr>\n";
  imp_rows += "</table>\n";


  run::ReportPage page(paths, summary.value("name", std::string("run")));
  page.paragraph("Springback regression with <b>" + esc(summary["model"].get<std::string>()) + "</b>: " + split +
                 " RMSE <b>" + fmt(summary["metrics"][split]["rmse"].get<double>(), 5) + "</b>, R&sup2; <b>" +
                 fmt(summary["metrics"][split]["r2"].get<double>(), 5) + "</b>.");
  page.heading(std::string("Models compared on the ") + split + " split");
  page.html(cmp);
  for (const auto& row : summary["comparison"])
    if (row.contains("equation")) page.paragraph("Linear regression: <code>" + esc(row["equation"].get<std::string>()) + "</code>");
  page.heading("By split");
  page.html(by_split);
  page.heading("Factor analysis");
  page.html(imp_rows);
  page.heading("Plots");
  if (!data.ga.empty()) {
    vision::Series best{"best", {}, {}}, mean{"population mean", {}, {}};
    for (const auto& g : data.ga) {
      best.x.push_back(g.generation), best.y.push_back(g.best);
      mean.x.push_back(g.generation), mean.y.push_back(g.mean);
    }
    page.image("ga_fitness.png", vision::line_chart({best, mean}, "GA fitness by generation", "generation", "RMSE (scaled)"),
        "GA fitness");
  }
  if (!data.lm.empty()) {
    vision::Series tr{"train", {}, {}}, va{"validation", {}, {}};
    for (const auto& e : data.lm) {
      tr.x.push_back(e.epoch), tr.y.push_back(std::log10(std::max(e.perf, 1e-30)));
      va.x.push_back(e.epoch), va.y.push_back(std::isfinite(e.val_perf) ? std::log10(std::max(e.val_perf, 1e-30)) : NAN);
    }
    page.image("lm_performance.png", vision::line_chart({tr, va}, "Levenberg-Marquardt performance", "epoch", "log10 MSE (scaled)"),
        "LM performance");
  }
  std::vector<vision::Series> parity{{"train", {}, {}}, {"validation", {}, {}}, {"test", {}, {}}};
  for (const auto& p : data.parity) {
    parity[static_cast<size_t>(p.split)].x.push_back(p.truth);
    parity[static_cast<size_t>(p.split)].y.push_back(p.predicted);
  }
  parity.erase(std::remove_if(parity.begin(), parity.end(), [](const vision::Series& s) { return s.x.empty(); }), parity.end());
  page.image("parity.png", vision::scatter_chart(parity, "Predicted vs measured", "measured " + target, "predicted " + target, true),
      "parity plot");
  std::vector<std::string> idx;
  vision::Series err{"error", {}, {}}, pct{"percent error", {}, {}};
  for (const auto& p : data.parity) {
    if (p.split != 2) continue;
    idx.push_back(std::to_string(idx.size() + 1));
    err.y.push_back(p.predicted - p.truth);
    pct.y.push_back(p.truth != 0 ? 100 * (p.predicted - p.truth) / p.truth : NAN);
  }
  if (!idx.empty()) {
    page.image("test_errors.png", vision::bar_chart(idx, {err}, "Test set: prediction error", "error (" + target + ")"), "errors");
    page.image("test_percent_errors.png", vision::bar_chart(idx, {pct}, "Test set: percentage error", "error (%)"), "percent errors");
  }
  std::vector<vision::Series> bars{{"MIV (relative |MIV|)", {}, imp["miv_relative"].get<std::vector<double>>()},
                                   {"permutation (relative)", {}, imp["permutation_relative"].get<std::vector<double>>()}};
  if (imp.contains("garson")) bars.push_back({"Garson", {}, imp["garson"].get<std::vector<double>>()});
  page.image("importance.png", vision::bar_chart(features, bars, "Input importance", "share"), "importance");

  page.write(summary);
}

}  // namespace alloyml::tasks
