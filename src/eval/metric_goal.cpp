#include "alloyml/eval/metric_goal.h"

#include "alloyml/core/error.h"
#include "alloyml/core/text.h"

namespace alloyml::eval {

const std::vector<MetricDecl>& metric_declarations() {
  static const std::vector<MetricDecl> decls{
      {"loss", Goal::Minimize, "the training objective"},
      {"accuracy", Goal::Maximize, "share of correct predictions"},
      {"macro_f1", Goal::Maximize, "mean F1 over the classes"},
      {"macro_precision", Goal::Maximize, "mean precision over the classes"},
      {"macro_recall", Goal::Maximize, "mean recall over the classes"},
      {"macro_gmean", Goal::Maximize, "mean over the classes of sqrt(recall x specificity)"},
      {"rmse", Goal::Minimize, "root mean squared error"},
      {"mse", Goal::Minimize, "mean squared error"},
      {"mae", Goal::Minimize, "mean absolute error"},
      {"r2", Goal::Maximize, "coefficient of determination"},
      {"r", Goal::Maximize, "Pearson correlation"},
      {"knn_accuracy", Goal::Maximize, "accuracy of k-nearest-neighbour votes in an embedding (pretrain's probe)"},
      {"knn_macro_f1", Goal::Maximize, "macro-F1 of k-nearest-neighbour votes in an embedding (pretrain's probe)"},
  };
  return decls;
}

Goal metric_goal(const std::string& reported_name) {
  std::vector<std::string> known;
  for (const char* prefix : {"train_", "val_", "test_"}) {
    const std::string p = prefix;
    for (const auto& d : metric_declarations()) {
      if (reported_name == p + d.name) return d.goal;
      known.push_back(p + d.name);
    }
  }
  const std::string guess = closest(reported_name, known);
  throw InputError("metric '" + reported_name + "' is not declared" +
                   (guess.empty() ? "" : "; did you mean '" + guess + "'?"));
}

std::string monitor_mode(const std::string& reported_name, const std::string& mode) {
  if (reported_name == kNoMonitor) return "max";  // unused: nothing is monitored
  if (mode == "min" || mode == "max") return mode;
  if (mode != "auto") throw InputError("monitor mode must be auto, min or max, got '" + mode + "'");
  return metric_goal(reported_name) == Goal::Minimize ? "min" : "max";
}

std::string describe_monitor(const std::string& reported_name) {
  if (reported_name == kNoMonitor) return "none (no best.pt: the last epoch is used)";
  return reported_name + (metric_goal(reported_name) == Goal::Minimize ? " (min)" : " (max)");
}

}  // namespace alloyml::eval
