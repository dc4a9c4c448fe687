#pragma once
// The classical baseline of Luo et al.: an RBF support-vector machine on GLCM texture features.
// One-vs-rest SVMs (OpenCV's ml module) give a decision value per class, used as logits, so
// top-k and scores work as for the CNNs. C and gamma are chosen on the validation split.
#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/ml.hpp>

#include "alloyml/classical/feature_classifier.h"

namespace alloyml::classical {

struct SvmGrid {
  std::vector<double> C{0.1, 1, 10, 100};
  std::vector<double> gamma{0.001, 0.01, 0.1, 1};  ///< for z-scored features
};

/// The score of a class that had no training image (and so no machine): below any machine's.
constexpr float kAbsentClassScore = -1e6f;

class SvmClassifier : public FeatureClassifier {
 public:
  SvmGrid grid;
  /// Standardises with the training statistics, grid-searches C and gamma by validation accuracy
  /// (training accuracy when `val_x` is empty), and keeps the best one-vs-rest machines.
  /// With a `pool`, the grid's settings train in parallel (the choice is the same).
  void fit(const cv::Mat& train_x, const std::vector<int>& train_y, const cv::Mat& val_x, const std::vector<int>& val_y,
           int classes, ThreadPool* pool = nullptr) override;
  /// Decision values, N x classes (larger: more likely).
  cv::Mat decision(const cv::Mat& x) const override;
  /// STEM.yml (scaling, C, gamma, signs) and svm_K.yml per class in the same folder.
  void save(const std::string& stem) const override;
  void load(const std::string& stem) override;
  std::vector<std::pair<std::string, double>> chosen() const override { return {{"C", best_c}, {"gamma", best_gamma}}; }

  double best_c = 0, best_gamma = 0;

 private:
  /// One class against the rest; `sign` orients the raw output (positives score higher).
  static cv::Ptr<cv::ml::SVM> train_binary(const cv::Mat& x, const std::vector<int>& y, int k, double c, double gamma,
                                           float& sign);
  static cv::Mat decision_of(const std::vector<cv::Ptr<cv::ml::SVM>>& svms, const std::vector<float>& signs,
                             const cv::Mat& scaled_x);
  std::vector<cv::Ptr<cv::ml::SVM>> svms_;
  std::vector<float> signs_;
};

}  // namespace alloyml::classical
