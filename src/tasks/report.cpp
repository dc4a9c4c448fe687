#include "alloyml/tasks/report.h"

#include <cmath>
#include <fstream>
#include <map>

#include "alloyml/core/fs.h"
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

std::string fmt(double v, int digits = 4) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.*f", digits, v);
  return buf;
}

}  // namespace

void write_classification_report(const RunPaths& paths, const config::Json& summary,
                                 const eval::ClassificationMetrics& m, const std::string& split_name) {
  // Curves from metrics.jsonl.
  std::map<std::string, vision::Series> series;
  std::ifstream in(paths.metrics());
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

  std::string html = R"(<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>alloyml report</title>
<style>
body{font-family:sans-serif;margin:2em;color:#222;max-width:1400px}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 10px;text-align:right}
td:first-child,th:first-child{text-align:left}tr.avg{font-weight:bold}img{margin:6px;border:1px solid #eee}
pre{background:#f6f6f6;padding:1em;overflow:auto}
</style></head><body>
)";
  html += "<h1>" + esc(summary.value("name", std::string("run"))) + "</h1>\n";
  html += "<p>Model <b>" + esc(summary.value("model", std::string("?"))) + "</b>, " + split_name + " accuracy <b>" +
          fmt(m.accuracy) + "</b>, macro F1 <b>" + fmt(m.macro_f1) + "</b> on " + std::to_string(m.n) +
          " images.</p>\n";
  html += "<h2>Training curves</h2>\n" + images;
  html += "<h2>Confusion matrix (" + split_name + ")</h2>\n<img src=\"confusion.png\" alt=\"confusion matrix\">\n";
  html += "<h2>Per class (" + split_name + ")</h2>\n<table><tr><th>class</th><th>precision</th><th>recall</th><th>F1</th>"
          "<th>support</th></tr>\n" + rows + "</table>\n";
  html += "<h2>Summary</h2>\n<pre>" + esc(summary.dump(2)) + "</pre>\n</body></html>\n";
  write_text_atomically(paths.report(), html);
}

}  // namespace alloyml::tasks
