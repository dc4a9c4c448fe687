#pragma once
// Metrics of classification and regression, from plain vectors (no torch).
#include <cstdint>
#include <string>
#include <vector>

namespace alloyml::eval {

struct ClassMetrics {
  double precision = 0, recall = 0, f1 = 0;
  /// True-negative rate: of the images of other classes, the share not taken for this one.
  double specificity = 0;
  /// sqrt(recall x specificity), the class's G-mean (Kubat and Matwin 1997; Huang et al. 2023).
  double gmean = 0;
  int64_t support = 0;
};

struct ClassificationMetrics {
  double accuracy = 0, macro_precision = 0, macro_recall = 0, macro_f1 = 0;
  double macro_gmean = 0;  ///< mean of the classes' G-means
  std::vector<ClassMetrics> per_class;
  std::vector<std::vector<int64_t>> confusion;  ///< [true][predicted]
  std::vector<std::string> class_names;
  int64_t n = 0;
};

/// Precision, recall, F1, specificity and G-mean per class (0 where undefined), their macro
/// averages, accuracy and the confusion matrix.
ClassificationMetrics classification_metrics(const std::vector<int64_t>& truth, const std::vector<int64_t>& predicted,
                                             const std::vector<std::string>& class_names);

/// The same from a confusion matrix ([true][predicted], one row and column per class).
ClassificationMetrics metrics_from_confusion(const std::vector<std::vector<int64_t>>& confusion,
                                             const std::vector<std::string>& class_names);

/// Mean and sample standard deviation (n - 1; 0 for one value) of per-fold or per-seed figures.
struct MeanSd {
  double mean = 0, sd = 0;
};
MeanSd mean_sd(const std::vector<double>& values);

struct RegressionMetrics {
  double rmse = 0, mae = 0, r2 = 0, r = 0;
  int64_t n = 0;
};

/// RMSE, MAE, coefficient of determination R^2 and Pearson's r.
RegressionMetrics regression_metrics(const std::vector<double>& truth, const std::vector<double>& predicted);

}  // namespace alloyml::eval
