#include "alloyml/tasks/report.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <functional>
#include <map>

#include "alloyml/core/fs.h"
#include "alloyml/core/text.h"
#include "alloyml/vision/plot.h"

namespace alloyml::tasks {
namespace {

std::string esc(const std::string& s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '&': o += "&amp;"; break;
      case '"': o += "&quot;"; break;
      default: o += c;
    }
  }
  return o;
}

std::string fmt(double v, int digits = 4) { return fixed(v, digits); }

const char* const kHead = R"(<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>alloyml report</title>
<style>
body{font-family:sans-serif;margin:2em;color:#222;max-width:1400px}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 10px;text-align:right}
td:first-child,th:first-child{text-align:left}tr.avg{font-weight:bold}img{margin:6px;border:1px solid #eee}
pre{background:#f6f6f6;padding:1em;overflow:auto}
</style></head><body>
)";

// Every numeric key of metrics.jsonl as a series over epochs.
std::map<std::string, vision::Series> metric_series(const std::string& path) {
  std::map<std::string, vision::Series> series;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    const auto j = config::Json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.contains("epoch")) continue;
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (it.key() == "epoch" || !it.value().is_number()) continue;
      auto& s = series[it.key()];
      s.label = it.key();
      s.x.push_back(j["epoch"].get<double>());
      s.y.push_back(it.value().get<double>());
    }
  }
  return series;
}


// A JSON value in one table cell: numbers rounded, short lists inline, long lists shortened.
std::string json_cell(const config::Json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return esc(v.get<std::string>());
  if (v.is_boolean()) return v.get<bool>() ? "yes" : "no";
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  if (v.is_number()) {
    const double d = v.get<double>();
    return std::abs(d) >= 1e5 || (d != 0 && std::abs(d) < 1e-3) ? esc(v.dump()) : fmt(d, 4);
  }
  if (v.is_array()) {
    std::string out;
    const size_t shown = std::min<size_t>(v.size(), 12);
    for (size_t i = 0; i < shown; ++i) out += (i ? ", " : "") + (v[i].is_structured() ? esc(v[i].dump()) : json_cell(v[i]));
    if (v.size() > shown) out += ", &hellip; (" + std::to_string(v.size()) + " in all)";
    return out;
  }
  return esc(v.dump());
}

// An object whose values are all scalars: one row of a table.
bool is_flat_record(const config::Json& v) {
  return v.is_object() && std::none_of(v.begin(), v.end(), [](const config::Json& x) { return x.is_structured(); });
}

bool is_table_of_rows(const config::Json& v) {
  return v.is_array() && !v.empty() && std::all_of(v.begin(), v.end(), [](const config::Json& r) { return r.is_object(); });
}

// summary.json as tables a reader can scan: the top-level scalars in one table, each section
// (object) in its own, lists of records as tables with a column per key; the raw file linked.
std::string summary_tables(const config::Json& summary) {
  std::string scalars, sections;
  std::function<void(const std::string&, const config::Json&, int)> section = [&](const std::string& title,
                                                                                 const config::Json& obj, int depth) {
    const std::string h = "h" + std::to_string(std::min(depth, 4));
    if (is_table_of_rows(obj)) {
      std::vector<std::string> cols;
      for (const auto& r : obj)
        for (auto it = r.begin(); it != r.end(); ++it)
          if (std::find(cols.begin(), cols.end(), it.key()) == cols.end()) cols.push_back(it.key());
      sections += "<" + h + ">" + esc(title) + "</" + h + ">\n<table><tr>";
      for (const auto& c : cols) sections += "<th>" + esc(c) + "</th>";
      sections += "</tr>\n";
      for (const auto& r : obj) {
        sections += "<tr>";
        for (const auto& c : cols) sections += "<td>" + (r.contains(c) ? json_cell(r[c]) : "") + "</td>";
        sections += "</tr>\n";
      }
      sections += "</table>\n";
      return;
    }
    std::string rows, nested;
    std::vector<std::pair<std::string, const config::Json*>> children;
    for (auto it = obj.begin(); it != obj.end(); ++it) {
      if (it.value().is_object() || is_table_of_rows(it.value()))
        children.emplace_back(it.key(), &it.value());
      else
        rows += "<tr><td>" + esc(it.key()) + "</td><td style=\"text-align:left\">" + json_cell(it.value()) + "</td></tr>\n";
    }
    sections += "<" + h + ">" + esc(title) + "</" + h + ">\n";
    if (!rows.empty()) sections += "<table>" + rows + "</table>\n";
    // Sibling records of scalars (val and test metrics, mean / std / pooled) share one table.
    config::Json flat = config::Json::array();
    for (const auto& [k, v] : children)
      if (is_flat_record(*v)) {
        config::Json r = {{"", k}};
        r.update(*v);
        flat.push_back(r);
      }
    if (flat.size() > 1) section(title + ": by part", flat, depth + 1);
    for (const auto& [k, v] : children)
      if (flat.size() <= 1 || !is_flat_record(*v))
        section(title + " / " + k, *v, depth + 1);
  };
  for (auto it = summary.begin(); it != summary.end(); ++it) {
    if (it.value().is_object() || is_table_of_rows(it.value()))
      section(it.key(), it.value(), 3);
    else
      scalars += "<tr><td>" + esc(it.key()) + "</td><td style=\"text-align:left\">" + json_cell(it.value()) + "</td></tr>\n";
  }
  return "<h2>Summary</h2>\n<p>All figures of this page and more, machine-readable: <a href=\"summary.json\">summary.json</a>.</p>\n" +
         (scalars.empty() ? "" : "<table>" + scalars + "</table>\n") + sections;
}
}  // namespace

void write_classification_report(const RunPaths& paths, const config::Json& summary,
                                 const eval::ClassificationMetrics& m, const std::string& split_name) {
  auto series = metric_series(paths.metrics());
  auto pick = [&](std::initializer_list<const char*> keys) {
    std::vector<vision::Series> out;
    for (const char* k : keys)
      if (series.count(k)) out.push_back(series[k]);
    return out;
  };
  std::string images;
  auto chart = [&](const std::vector<vision::Series>& s, const std::string& file, const std::string& title,
                   const std::string& ylabel) {
    if (s.empty()) return;
    vision::write_png(paths.dir + "/" + file, vision::line_chart(s, title, "epoch", ylabel));
    images += "<img src=\"" + file + "\" alt=\"" + esc(title) + "\">\n";
  };
  chart(pick({"train_loss", "val_loss"}), "loss.png", "Loss", "cross-entropy");
  chart(pick({"train_accuracy", "val_accuracy", "val_macro_f1"}), "accuracy.png", "Accuracy", "fraction");
  chart(pick({"lr"}), "lr.png", "Learning rate", "lr");
  vision::write_png(paths.dir + "/confusion.png", vision::confusion_image(m.confusion, m.class_names));

  std::string rows;
  for (size_t c = 0; c < m.per_class.size(); ++c) {
    const auto& p = m.per_class[c];
    rows += "<tr><td>" + esc(m.class_names[c]) + "</td><td>" + fmt(p.precision) + "</td><td>" + fmt(p.recall) +
            "</td><td>" + fmt(p.f1) + "</td><td>" + std::to_string(p.support) + "</td></tr>\n";
  }
  rows += "<tr class=\"avg\"><td>macro average</td><td>" + fmt(m.macro_precision) + "</td><td>" + fmt(m.macro_recall) +
          "</td><td>" + fmt(m.macro_f1) + "</td><td>" + std::to_string(m.n) + "</td></tr>\n";

  std::string html = kHead;
  html += "<h1>" + esc(summary.value("name", std::string("run"))) + "</h1>\n";
  html += "<p>Model <b>" + esc(summary.value("model", std::string("?"))) + "</b>, " + split_name + " accuracy <b>" +
          fmt(m.accuracy) + "</b>, macro F1 <b>" + fmt(m.macro_f1) + "</b> on " + std::to_string(m.n) +
          " images.</p>\n";
  if (summary.contains("precision"))
    html += "<p>Arithmetic: <b>" + esc(summary["precision"].get<std::string>()) + "</b> (" +
            esc(summary.value("precision_reason", std::string())) + ") on " + esc(summary.value("device", std::string("cpu"))) +
            ", " + std::to_string(summary.value("threads", 1)) + " threads.</p>\n";
  html += "<h2>Training curves</h2>\n" + images;
  html += "<h2>Confusion matrix (" + split_name + ")</h2>\n<img src=\"confusion.png\" alt=\"confusion matrix\">\n";
  html += "<h2>Per class (" + split_name + ")</h2>\n<table><tr><th>class</th><th>precision</th><th>recall</th><th>F1</th>"
          "<th>support</th></tr>\n" + rows + "</table>\n";
  html += summary_tables(summary) + "</body></html>\n";
  write_text_atomically(paths.report(), html);
}

}  // namespace alloyml::tasks

namespace alloyml::tasks {
namespace {

using config::Json;

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

void write_springback_report(const RunPaths& paths, const SpringbackReportData& data) {
  const Json& summary = *data.summary;
  const std::string target = summary["target"];
  std::string images;
  auto add = [&](const std::string& file, const cv::Mat& img, const std::string& alt) {
    vision::write_png(paths.dir + "/" + file, img);
    images += "<img src=\"" + file + "\" alt=\"" + esc(alt) + "\">\n";
  };
  if (!data.ga.empty()) {
    vision::Series best{"best", {}, {}}, mean{"population mean", {}, {}};
    for (const auto& g : data.ga) {
      best.x.push_back(g.generation), best.y.push_back(g.best);
      mean.x.push_back(g.generation), mean.y.push_back(g.mean);
    }
    add("ga_fitness.png", vision::line_chart({best, mean}, "GA fitness by generation", "generation", "RMSE (scaled)"),
        "GA fitness");
  }
  if (!data.lm.empty()) {
    vision::Series tr{"train", {}, {}}, va{"validation", {}, {}};
    for (const auto& e : data.lm) {
      tr.x.push_back(e.epoch), tr.y.push_back(std::log10(std::max(e.perf, 1e-30)));
      va.x.push_back(e.epoch), va.y.push_back(std::isfinite(e.val_perf) ? std::log10(std::max(e.val_perf, 1e-30)) : NAN);
    }
    add("lm_performance.png", vision::line_chart({tr, va}, "Levenberg-Marquardt performance", "epoch", "log10 MSE (scaled)"),
        "LM performance");
  }
  std::vector<vision::Series> parity{{"train", {}, {}}, {"validation", {}, {}}, {"test", {}, {}}};
  for (const auto& p : data.parity) {
    parity[static_cast<size_t>(p.split)].x.push_back(p.truth);
    parity[static_cast<size_t>(p.split)].y.push_back(p.predicted);
  }
  parity.erase(std::remove_if(parity.begin(), parity.end(), [](const vision::Series& s) { return s.x.empty(); }), parity.end());
  add("parity.png", vision::scatter_chart(parity, "Predicted vs measured", "measured " + target, "predicted " + target, true),
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
    add("test_errors.png", vision::bar_chart(idx, {err}, "Test set: prediction error", "error (" + target + ")"), "errors");
    add("test_percent_errors.png", vision::bar_chart(idx, {pct}, "Test set: percentage error", "error (%)"), "percent errors");
  }
  const Json& imp = summary["importance"];
  const auto features = imp["features"].get<std::vector<std::string>>();
  std::vector<vision::Series> bars{{"MIV (relative |MIV|)", {}, imp["miv_relative"].get<std::vector<double>>()},
                                   {"permutation (relative)", {}, imp["permutation_relative"].get<std::vector<double>>()}};
  if (imp.contains("garson")) bars.push_back({"Garson", {}, imp["garson"].get<std::vector<double>>()});
  add("importance.png", vision::bar_chart(features, bars, "Input importance", "share"), "importance");

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

  std::string html = kHead;
  html += "<h1>" + esc(summary.value("name", std::string("run"))) + "</h1>\n";
  html += "<p>Springback regression with <b>" + esc(summary["model"].get<std::string>()) + "</b>: " + split +
          " RMSE <b>" + fmt(summary["metrics"][split]["rmse"].get<double>(), 5) + "</b>, R&sup2; <b>" +
          fmt(summary["metrics"][split]["r2"].get<double>(), 5) + "</b>.</p>\n";
  html += "<h2>Models compared on the " + std::string(split) + " split</h2>\n" + cmp;
  for (const auto& row : summary["comparison"])
    if (row.contains("equation")) html += "<p>Linear regression: <code>" + esc(row["equation"].get<std::string>()) + "</code></p>\n";
  html += "<h2>By split</h2>\n" + by_split;
  html += "<h2>Factor analysis</h2>\n" + imp_rows;
  html += "<h2>Plots</h2>\n" + images;
  html += summary_tables(summary) + "</body></html>\n";
  write_text_atomically(paths.report(), html);
}

}  // namespace alloyml::tasks

namespace alloyml::tasks {
namespace {

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

void write_gfa_report(const RunPaths& paths, const config::Json& summary, const std::vector<ParityPoint>& parity,
                      const std::vector<GfaFoldRow>& folds) {
  std::string images;
  auto add = [&](const std::string& file, const cv::Mat& img, const std::string& alt) {
    vision::write_png(paths.dir + "/" + file, img);
    images += "<img src=\"" + file + "\" alt=\"" + esc(alt) + "\">\n";
  };
  const bool cv = summary.contains("cv");
  vision::Series points{cv ? "out-of-fold" : "test", {}, {}};
  for (const auto& p : parity) {
    points.x.push_back(p.truth);
    points.y.push_back(p.predicted);
  }
  if (!points.x.empty())
    add("parity.png", vision::scatter_chart({points}, cv ? "Out-of-fold predictions" : "Test predictions", "measured Dmax (mm)",
                                            "predicted Dmax (mm)", true),
        "parity plot");
  if (!folds.empty()) {
    std::vector<std::string> names;
    vision::Series r2{"R^2", {}, {}};
    for (const auto& f : folds) {
      names.push_back(std::to_string(f.fold));
      r2.y.push_back(f.metrics.r2);
    }
    add("folds.png", vision::bar_chart(names, {r2}, "R^2 by fold", "R^2"), "R^2 by fold");
  }
  auto series = metric_series(paths.metrics());
  std::vector<vision::Series> loss;
  for (const char* k : {"train_loss", "val_loss"})
    if (series.count(k)) loss.push_back(series[k]);
  if (!loss.empty()) add("loss.png", vision::line_chart(loss, cv ? "Final model: loss" : "Loss", "epoch", "loss (target space)"), "loss");

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
  std::string html = kHead;
  html += "<h1>" + esc(summary.value("name", std::string("run"))) + "</h1>\n";
  html += "<p>Glass-forming ability (critical casting diameter) from composition images with <b>" +
          esc(summary["model"].get<std::string>()) + "</b>, " + std::to_string(summary["rows"].get<int64_t>()) + " alloys. " +
          headline + "</p>\n";
  html += table + "<h2>Plots</h2>\n" + images;
  html += summary_tables(summary) + "</body></html>\n";
  write_text_atomically(paths.report(), html);
}

}  // namespace alloyml::tasks
