#pragma once
// Grouped k-fold cross-validation of image classification (private to the task): the folds of a
// run, and the figures and files every cross-validated model writes (cv.cpp; the CNNs there, the
// classical models in classical_train.cpp).
#include <string>
#include <vector>

#include "alloyml/core/config.h"
#include "alloyml/data/image_set.h"
#include "alloyml/eval/metrics.h"
#include "alloyml/tasks/classification/options.h"

namespace alloyml::tasks {

/// The images of data.root, their groups (cv.group_by, else data.split.group_by; an empty value a
/// group of its own) and their stratified folds.
struct CvPlan {
  int k = 0;
  std::string group_by;
  data::ImageSet set;
  std::vector<size_t> groups;
  std::vector<int> fold_of;
  size_t group_count = 0;
  std::vector<size_t> held_out(int fold) const;
  std::vector<size_t> training(int fold) const;
  size_t groups_in(const std::vector<size_t>& indices) const;
};

CvPlan plan_cv(const ClassificationOptions& options, const std::string& source);

/// Accuracy, F1 and the rest of `logits` (one row per index) against the images' labels.
eval::ClassificationMetrics metrics_of(const data::ImageSet& set, const std::vector<size_t>& indices,
                                       const std::vector<std::vector<float>>& logits);

/// folds.csv: each image's path, label, group and fold (1-based).
void write_folds_csv(const std::string& path, const CvPlan& plan);

/// oof_predictions.csv from each image's out-of-fold logits (empty: not scored); the pooled figures.
eval::ClassificationMetrics write_oof_predictions(const std::string& path, const CvPlan& plan,
                                                  const std::vector<std::vector<float>>& oof);

/// summary.json's "cv": mean and sd over folds, per-class recall, the folds, the pooled figures.
config::Json cv_summary(const CvPlan& plan, const std::vector<eval::ClassificationMetrics>& per_fold,
                        const config::Json& folds, const eval::ClassificationMetrics& pooled);

/// "out-of-fold predictions (K folds by COLUMN)".
std::string cv_shown(const CvPlan& plan);

/// The fold table with mean +- sd, then the pooled per-class table, on standard output.
void print_cv(const config::Json& cv, const eval::ClassificationMetrics& pooled, const CvPlan& plan,
              const std::string& dir);

}  // namespace alloyml::tasks
