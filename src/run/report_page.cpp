#include "alloyml/run/report_page.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include "alloyml/core/fs.h"
#include "alloyml/core/text.h"
#include "alloyml/run/metrics_log.h"
#include "alloyml/vision/plot.h"

namespace alloyml::run {
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


const char* const kHead = R"(<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>alloyml report</title>
<style>
body{font-family:sans-serif;margin:2em;color:#222;max-width:1400px}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 10px;text-align:right}
td:first-child,th:first-child{text-align:left}tr.avg{font-weight:bold}img{margin:6px;border:1px solid #eee}
pre{background:#f6f6f6;padding:1em;overflow:auto}
</style></head><body>
)";

// A JSON value in one table cell: numbers rounded, short lists inline, long lists shortened.
std::string json_cell(const config::Json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return esc(v.get<std::string>());
  if (v.is_boolean()) return v.get<bool>() ? "yes" : "no";
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  if (v.is_number()) {
    const double d = v.get<double>();
    return std::abs(d) >= 1e5 || (d != 0 && std::abs(d) < 1e-3) ? esc(v.dump()) : fixed(d, 4);
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

std::string html_escape(const std::string& s) { return esc(s); }

ReportPage::ReportPage(RunPaths paths, const std::string& title) : paths_(std::move(paths)) {
  body_ = "<h1>" + esc(title) + "</h1>\n";
}

void ReportPage::html(const std::string& raw) { body_ += raw; }

void ReportPage::heading(const std::string& text) { body_ += "<h2>" + esc(text) + "</h2>\n"; }

void ReportPage::paragraph(const std::string& raw) { body_ += "<p>" + raw + "</p>\n"; }

void ReportPage::image(const std::string& file, const cv::Mat& image, const std::string& alt) {
  vision::write_png(paths_.dir + "/" + file, image);
  body_ += "<img src=\"" + file + "\" alt=\"" + esc(alt) + "\">\n";
}

void ReportPage::metric_chart(const std::vector<std::string>& keys, const std::string& file, const std::string& title,
                              const std::string& ylabel) {
  auto series = read_metric_series(paths_.metrics());
  std::vector<vision::Series> picked;
  for (const auto& k : keys)
    if (series.count(k)) picked.push_back(series[k]);
  if (!picked.empty()) image(file, vision::line_chart(picked, title, "epoch", ylabel), title);
}

void ReportPage::runtime_note(const config::Json& summary) {
  if (!summary.contains("precision")) return;
  paragraph("Arithmetic: <b>" + esc(summary["precision"].get<std::string>()) + "</b> (" +
            esc(summary.value("precision_reason", std::string())) + ") on " + esc(summary.value("device", std::string("cpu"))) +
            ", " + std::to_string(summary.value("threads", 1)) + " threads.");
  if (summary.contains("precision_warning"))
    paragraph("<b>Warning:</b> " + esc(summary["precision_warning"].get<std::string>()) + ".");
}

void ReportPage::write(const config::Json& summary) {
  write_text_atomically(paths_.report(), std::string(kHead) + body_ + summary_tables(summary) + "</body></html>\n");
}

}  // namespace alloyml::run
