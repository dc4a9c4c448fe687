#include "alloyml/eval/metrics_io.h"

#include <algorithm>
#include <cstdio>

namespace alloyml::eval {

nlohmann::ordered_json to_json(const ClassificationMetrics& m) {
  nlohmann::ordered_json j;
  j["accuracy"] = m.accuracy;
  j["macro_precision"] = m.macro_precision;
  j["macro_recall"] = m.macro_recall;
  j["macro_f1"] = m.macro_f1;
  j["macro_gmean"] = m.macro_gmean;
  j["n"] = m.n;
  nlohmann::ordered_json per = nlohmann::ordered_json::object();
  for (size_t c = 0; c < m.per_class.size(); ++c) {
    const auto& pc = m.per_class[c];
    per[m.class_names[c]] = {{"precision", pc.precision}, {"recall", pc.recall},           {"f1", pc.f1},
                             {"specificity", pc.specificity}, {"gmean", pc.gmean}, {"support", pc.support}};
  }
  j["per_class"] = per;
  j["confusion_matrix"] = m.confusion;
  j["class_names"] = m.class_names;
  return j;
}

nlohmann::ordered_json to_json(const RegressionMetrics& m) {
  return {{"rmse", m.rmse}, {"mae", m.mae}, {"r2", m.r2}, {"r", m.r}, {"n", m.n}};
}

std::string format_table(const ClassificationMetrics& m, const std::string& title) {
  size_t w = 9;
  for (const auto& n : m.class_names) w = std::max(w, n.size());
  std::string out = title + "\n";
  char line[256];
  std::snprintf(line, sizeof(line), "  %-*s %9s %9s %9s %9s %8s\n", static_cast<int>(w), "class", "precision", "recall",
                "f1", "g-mean", "support");
  out += line;
  for (size_t c = 0; c < m.per_class.size(); ++c) {
    const auto& p = m.per_class[c];
    std::snprintf(line, sizeof(line), "  %-*s %9.4f %9.4f %9.4f %9.4f %8lld\n", static_cast<int>(w),
                  m.class_names[c].c_str(), p.precision, p.recall, p.f1, p.gmean, static_cast<long long>(p.support));
    out += line;
  }
  std::snprintf(line, sizeof(line), "  %-*s %9.4f %9.4f %9.4f %9.4f %8lld\n", static_cast<int>(w), "macro avg",
                m.macro_precision, m.macro_recall, m.macro_f1, m.macro_gmean, static_cast<long long>(m.n));
  out += line;
  std::snprintf(line, sizeof(line), "  %-*s %9.4f (%lld images)\n", static_cast<int>(w), "accuracy", m.accuracy,
                static_cast<long long>(m.n));
  out += line;
  return out;
}

}  // namespace alloyml::eval
