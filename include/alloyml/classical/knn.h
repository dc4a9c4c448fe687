#pragma once
// k nearest neighbours on standardised features (Euclidean), k chosen on the validation split:
// the Gabor + k-NN baseline of Huang et al. 2023 (Fig. 17). The decision value of a class is the
// fraction of the k neighbours that carry it; ties go to the lower class index, as
// scikit-learn's KNeighborsClassifier breaks them.
#include <string>
#include <vector>

#include "alloyml/classical/feature_classifier.h"

namespace alloyml::classical {

class KnnClassifier : public FeatureClassifier {
 public:
  /// The values of k tried. Default 1, 3, 5, 7, 9.
  std::vector<int> ks{1, 3, 5, 7, 9};
  void fit(const cv::Mat& train_x, const std::vector<int>& train_y, const cv::Mat& val_x, const std::vector<int>& val_y,
           int classes, ThreadPool* pool = nullptr) override;
  cv::Mat decision(const cv::Mat& x) const override;
  void save(const std::string& stem) const override;
  void load(const std::string& stem) override;
  std::vector<std::pair<std::string, double>> chosen() const override { return {{"k", static_cast<double>(k)}}; }

  int k = 1;

 private:
  /// Vote fractions with `k_used` neighbours of the already scaled rows.
  cv::Mat votes(const cv::Mat& scaled_x, int k_used, ThreadPool* pool) const;
  cv::Mat train_;  ///< scaled training rows
  std::vector<int> labels_;
  int classes_ = 0;
};

}  // namespace alloyml::classical
