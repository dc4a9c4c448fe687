#include "report.h"

#include "alloyml/core/text.h"
#include "alloyml/run/report_page.h"
#include "alloyml/tasks/classification/classifier.h"
#include "alloyml/vision/plot.h"

namespace alloyml::tasks {

void write_classification_report(const run::RunPaths& paths, const config::Json& summary,
                                 const eval::ClassificationMetrics& m, const std::string& split_name) {
  using run::html_escape;
  auto fmt = [](double v) { return fixed(v, 4); };
  run::ReportPage page(paths, summary.value("name", std::string("run")));
  page.paragraph("Model <b>" + html_escape(summary.value("model", std::string("?"))) + "</b>, " + split_name +
                 " accuracy <b>" + fmt(m.accuracy) + "</b>, macro F1 <b>" + fmt(m.macro_f1) + "</b> on " +
                 std::to_string(m.n) + " images.");
  page.runtime_note(summary);
  page.heading("Training curves");
  page.metric_chart({"train_loss", "val_loss"}, "loss.png", "Loss", "cross-entropy");
  page.metric_chart({"train_accuracy", "val_accuracy", "val_macro_f1", "val_macro_gmean", "teacher_train_accuracy",
                     "teacher_val_accuracy"},
                    "accuracy.png", "Accuracy", "fraction");
  if (summary.contains("teacher")) {  // distillation (Park et al. 2019)
    const auto& t = summary["teacher"];
    page.heading("Distillation");
    std::string rows;
    for (const char* split : {"val", "test"}) {
      if (!t.contains(split) || !summary.contains(split)) continue;
      rows += std::string("<tr><td>") + split + "</td><td>" + fmt(summary[split].value("accuracy", 0.0)) + "</td><td>" +
              fmt(t[split].value("accuracy", 0.0)) + "</td><td>" + fmt(summary[split].value("macro_gmean", 0.0)) +
              "</td><td>" + fmt(t[split].value("macro_gmean", 0.0)) + "</td></tr>\n";
    }
    page.paragraph("Student <b>" + html_escape(summary.value("model", std::string("?"))) + "</b> (" +
                   std::to_string(summary.value("parameters", 0)) + " parameters) taught by <b>" +
                   html_escape(t.value("model", std::string("?"))) + "</b> (" + std::to_string(t.value("parameters", 0)) +
                   " parameters) from " + html_escape(t.value("run", std::string("?"))) + ".");
    page.html("<table><tr><th>split</th><th>student accuracy</th><th>teacher accuracy</th><th>student macro G-mean</th>"
              "<th>teacher macro G-mean</th></tr>\n" + rows + "</table>\n");
    page.metric_chart({"train_loss_labels", "train_loss_rkd_distance", "train_loss_rkd_angle", "train_loss_soft_targets"},
                      "distill_losses.png", "Distillation loss terms (unweighted)", "loss");
  }
  page.metric_chart({"lr"}, "lr.png", "Learning rate", "lr");
  std::vector<std::string> weight_keys;  // loss.name adaptive_gmean (Huang et al. 2023, Eq. 15)
  for (const auto& c : m.class_names) weight_keys.push_back(adaptive_weight_key(c));
  page.metric_chart(weight_keys, "loss_weights.png", "Adaptive loss weights per class", "weight");
  page.heading("Confusion matrix (" + split_name + ")");
  page.image("confusion.png", vision::confusion_image(m.confusion, m.class_names), "confusion matrix");

  std::string rows;
  for (size_t c = 0; c < m.per_class.size(); ++c) {
    const auto& p = m.per_class[c];
    rows += "<tr><td>" + html_escape(m.class_names[c]) + "</td><td>" + fmt(p.precision) + "</td><td>" + fmt(p.recall) +
            "</td><td>" + fmt(p.f1) + "</td><td>" + fmt(p.gmean) + "</td><td>" + std::to_string(p.support) + "</td></tr>\n";
  }
  rows += "<tr class=\"avg\"><td>macro average</td><td>" + fmt(m.macro_precision) + "</td><td>" + fmt(m.macro_recall) +
          "</td><td>" + fmt(m.macro_f1) + "</td><td>" + fmt(m.macro_gmean) + "</td><td>" + std::to_string(m.n) +
          "</td></tr>\n";
  page.heading("Per class (" + split_name + ")");
  page.html("<table><tr><th>class</th><th>precision</th><th>recall</th><th>F1</th><th>G-mean</th><th>support</th></tr>\n" + rows +
            "</table>\n");
  page.write(summary);
}

}  // namespace alloyml::tasks
