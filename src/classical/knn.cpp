#include "alloyml/classical/knn.h"

#include <algorithm>
#include <numeric>

#include "alloyml/core/error.h"
#include "alloyml/core/thread_pool.h"

namespace alloyml::classical {
namespace {

// Indices of the `k` training rows nearest to each query row (squared Euclidean distance, ties
// by the lower index), N x k.
std::vector<std::vector<int>> nearest(const cv::Mat& queries, const cv::Mat& train, int k, ThreadPool* pool) {
  cv::Mat cross;
  cv::gemm(queries, train, 1.0, cv::noArray(), 0.0, cross, cv::GEMM_2_T);
  cv::Mat tn;
  cv::reduce(train.mul(train), tn, 1, cv::REDUCE_SUM);
  std::vector<std::vector<int>> out(static_cast<size_t>(queries.rows));
  auto one = [&](size_t i) {
    const int r = static_cast<int>(i);
    std::vector<std::pair<float, int>> d(static_cast<size_t>(train.rows));
    for (int j = 0; j < train.rows; ++j)  // |q|^2 is the same for every j: left out
      d[static_cast<size_t>(j)] = {tn.at<float>(j) - 2.0f * cross.at<float>(r, j), j};
    const int kk = std::min(k, train.rows);
    std::partial_sort(d.begin(), d.begin() + kk, d.end());
    for (int j = 0; j < kk; ++j) out[i].push_back(d[static_cast<size_t>(j)].second);
  };
  if (pool)
    parallel_for(*pool, out.size(), one);
  else
    for (size_t i = 0; i < out.size(); ++i) one(i);
  return out;
}

cv::Mat vote(const std::vector<std::vector<int>>& neighbours, const std::vector<int>& labels, int k, int classes) {
  cv::Mat v(static_cast<int>(neighbours.size()), classes, CV_32F, cv::Scalar(0));
  for (size_t i = 0; i < neighbours.size(); ++i) {
    const int used = std::min(k, static_cast<int>(neighbours[i].size()));
    for (int j = 0; j < used; ++j)
      v.at<float>(static_cast<int>(i), labels[static_cast<size_t>(neighbours[i][static_cast<size_t>(j)])]) += 1.0f / static_cast<float>(used);
  }
  return v;
}

}  // namespace

void KnnClassifier::fit(const cv::Mat& train_x, const std::vector<int>& train_y, const cv::Mat& val_x,
                        const std::vector<int>& val_y, int classes, ThreadPool* pool) {
  if (ks.empty()) throw InputError("k-NN: no values of k to try");
  fit_scaling(train_x);
  train_ = scaled(train_x);
  labels_ = train_y;
  classes_ = classes;
  const bool has_val = val_x.rows > 0;
  const std::vector<int>& vy = has_val ? val_y : train_y;
  // Without validation rows each training row would find itself first: k = 1 would always win.
  const int skip = has_val ? 0 : 1;
  const int k_max = *std::max_element(ks.begin(), ks.end());
  auto near = nearest(has_val ? scaled(val_x) : train_, train_, k_max + skip, pool);
  if (skip)
    for (auto& n : near) n.erase(n.begin());
  selection_accuracy = -1;
  for (int kk : ks) {  // the first best in the order given
    const double a = decision_accuracy(vote(near, labels_, kk, classes_), vy);
    if (a > selection_accuracy) {
      selection_accuracy = a;
      k = kk;
    }
  }
}

cv::Mat KnnClassifier::decision(const cv::Mat& x) const {
  return vote(nearest(scaled(x), train_, k, nullptr), labels_, k, classes_);
}

void KnnClassifier::save(const std::string& stem) const {
  cv::FileStorage fs(stem + ".yml", cv::FileStorage::WRITE);
  fs << "mean" << mean_ << "std" << std_ << "k" << k << "classes" << classes_ << "train" << train_ << "labels"
     << labels_;
}

void KnnClassifier::load(const std::string& stem) {
  cv::FileStorage fs(stem + ".yml", cv::FileStorage::READ);
  if (!fs.isOpened()) throw InputError(stem + ".yml: cannot open the k-NN model");
  fs["mean"] >> mean_;
  fs["std"] >> std_;
  fs["k"] >> k;
  fs["classes"] >> classes_;
  fs["train"] >> train_;
  fs["labels"] >> labels_;
  if (train_.empty() || static_cast<int>(labels_.size()) != train_.rows || k < 1)
    throw InputError(stem + ".yml: the k-NN model is incomplete");
}

}  // namespace alloyml::classical
