#pragma once
// A classifier on hand-crafted feature vectors (the classical baselines): standardised with the
// training statistics, its hyper-parameters chosen on the validation split, decision values per
// class used as logits so that top-k, scores and metrics work as for the CNNs.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <opencv2/core.hpp>

namespace alloyml {
class ThreadPool;
}

namespace alloyml::classical {

class FeatureClassifier {
 public:
  virtual ~FeatureClassifier() = default;
  /// Fits on the training rows, choosing hyper-parameters by accuracy on the validation rows
  /// (on the training rows when there are none). Rows are CV_32F feature vectors.
  virtual void fit(const cv::Mat& train_x, const std::vector<int>& train_y, const cv::Mat& val_x,
                   const std::vector<int>& val_y, int classes, ThreadPool* pool = nullptr) = 0;
  /// N x classes, larger is more likely.
  virtual cv::Mat decision(const cv::Mat& x) const = 0;
  /// Writes STEM.yml (and any files beside it); load reads what save wrote.
  virtual void save(const std::string& stem) const = 0;
  virtual void load(const std::string& stem) = 0;
  /// The chosen hyper-parameters, by name.
  virtual std::vector<std::pair<std::string, double>> chosen() const = 0;

  /// The accuracy that chose them.
  double selection_accuracy = 0;

 protected:
  /// Learns the per-feature mean and standard deviation of `train_x`.
  void fit_scaling(const cv::Mat& train_x);
  /// (x - mean) / std, row by row.
  cv::Mat scaled(const cv::Mat& x) const;
  cv::Mat mean_, std_;
};

/// Accuracy of the arg-max of each row of `decision` against `y`.
double decision_accuracy(const cv::Mat& decision, const std::vector<int>& y);

/// "svm" (one-vs-rest RBF SVMs) or "knn" (k nearest neighbours).
std::unique_ptr<FeatureClassifier> make_feature_classifier(const std::string& name);

}  // namespace alloyml::classical
