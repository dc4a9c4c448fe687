#include "alloyml/classical/svm.h"

#include <algorithm>

#include <filesystem>

#include "alloyml/classical/knn.h"
#include "alloyml/core/error.h"
#include "alloyml/core/thread_pool.h"

namespace alloyml::classical {

double decision_accuracy(const cv::Mat& decision, const std::vector<int>& y) {
  int correct = 0;
  for (int i = 0; i < decision.rows; ++i) {
    cv::Point best;
    cv::minMaxLoc(decision.row(i), nullptr, nullptr, nullptr, &best);
    correct += best.x == y[static_cast<size_t>(i)] ? 1 : 0;
  }
  return decision.rows ? static_cast<double>(correct) / decision.rows : 0.0;
}

void FeatureClassifier::fit_scaling(const cv::Mat& train_x) {
  if (train_x.rows < 2) throw InputError("need at least two training images for a classical model");
  cv::reduce(train_x, mean_, 0, cv::REDUCE_AVG);
  cv::Mat centered(train_x.size(), CV_32F);
  for (int i = 0; i < train_x.rows; ++i) centered.row(i) = train_x.row(i) - mean_;
  cv::reduce(centered.mul(centered), std_, 0, cv::REDUCE_AVG);
  cv::sqrt(std_, std_);
  std_ += 1e-8f;
}

cv::Mat FeatureClassifier::scaled(const cv::Mat& x) const {
  cv::Mat out(x.size(), CV_32F);
  for (int i = 0; i < x.rows; ++i) out.row(i) = (x.row(i) - mean_) / std_;
  return out;
}

std::unique_ptr<FeatureClassifier> make_feature_classifier(const std::string& name) {
  if (name == "svm") return std::make_unique<SvmClassifier>();
  if (name == "knn") return std::make_unique<KnnClassifier>();
  throw InputError("unknown feature classifier '" + name + "' (svm or knn)");
}

cv::Ptr<cv::ml::SVM> SvmClassifier::train_binary(const cv::Mat& x, const std::vector<int>& y, int k, double c,
                                                 double gamma, float& sign) {
  cv::Mat labels(x.rows, 1, CV_32S);
  for (int i = 0; i < x.rows; ++i) labels.at<int>(i) = y[static_cast<size_t>(i)] == k ? 1 : -1;
  auto svm = cv::ml::SVM::create();
  svm->setType(cv::ml::SVM::C_SVC);
  svm->setKernel(cv::ml::SVM::RBF);
  svm->setC(c);
  svm->setGamma(gamma);
  // libsvm's (and scikit-learn's) tolerance.
  svm->setTermCriteria(cv::TermCriteria(cv::TermCriteria::MAX_ITER + cv::TermCriteria::EPS, 100000, 1e-3));
  svm->train(x, cv::ml::ROW_SAMPLE, labels);
  // OpenCV's raw output has no fixed sign convention: orient it so positives score higher,
  // judged on up to 16 training samples of each side (all of them would cost as much as a fit).
  cv::Mat probe;
  int np = 0, nn = 0;
  std::vector<int> side;
  for (int i = 0; i < x.rows && (np < 16 || nn < 16); ++i) {
    const bool positive = labels.at<int>(i) > 0;
    if ((positive ? np : nn) >= 16) continue;
    probe.push_back(x.row(i));
    side.push_back(positive ? 1 : -1);
    ++(positive ? np : nn);
  }
  cv::Mat raw;
  svm->predict(probe, raw, cv::ml::StatModel::RAW_OUTPUT);
  double pos = 0, neg = 0;
  for (int i = 0; i < raw.rows; ++i) (side[static_cast<size_t>(i)] > 0 ? pos : neg) += raw.at<float>(i);
  sign = np > 0 && nn > 0 && pos / np < neg / nn ? -1.0f : 1.0f;
  return svm;
}

void SvmClassifier::fit(const cv::Mat& train_x, const std::vector<int>& train_y, const cv::Mat& val_x,
                        const std::vector<int>& val_y, int classes, ThreadPool* pool) {
  fit_scaling(train_x);
  const cv::Mat x = scaled(train_x);
  const bool has_val = val_x.rows > 0;
  const std::vector<int>& vy = has_val ? val_y : train_y;
  const cv::Mat sel = scaled(has_val ? val_x : train_x);
  // Every (C, gamma) of the grid is independent: train them on all cores.
  struct Candidate {
    double c = 0, gamma = 0, accuracy = -1;
    std::vector<cv::Ptr<cv::ml::SVM>> svms;
    std::vector<float> signs;
  };
  std::vector<Candidate> candidates;
  for (double c : grid.C)
    for (double g : grid.gamma) candidates.push_back({c, g, -1, {}, {}});
  for (auto& k : candidates) {
    k.svms.resize(static_cast<size_t>(classes));
    k.signs.assign(static_cast<size_t>(classes), 1.0f);
  }
  const size_t per = static_cast<size_t>(classes);
  // One task per (setting, class): 96 similar jobs balance over the cores better than 16 uneven ones.
  // A class with no training image gets no machine (a held-out specimen took them all): it scores
  // kAbsentClassScore, below any machine's, so it is never predicted.
  std::vector<bool> present(per, false);
  for (int label : train_y)
    if (label >= 0 && static_cast<size_t>(label) < per) present[static_cast<size_t>(label)] = true;
  auto train_one = [&](size_t t) {
    auto& k = candidates[t / per];
    const size_t cls = t % per;
    if (present[cls]) k.svms[cls] = train_binary(x, train_y, static_cast<int>(cls), k.c, k.gamma, k.signs[cls]);
  };
  auto score_one = [&](size_t i) {
    auto& k = candidates[i];
    k.accuracy = decision_accuracy(decision_of(k.svms, k.signs, sel), vy);
  };
  if (pool) {
    parallel_for(*pool, candidates.size() * per, train_one);
    parallel_for(*pool, candidates.size(), score_one);
  } else {
    for (size_t t = 0; t < candidates.size() * per; ++t) train_one(t);
    for (size_t i = 0; i < candidates.size(); ++i) score_one(i);
  }
  // The first best in grid order (C, then gamma), as a sequential search would pick.
  size_t best = 0;
  for (size_t i = 1; i < candidates.size(); ++i)
    if (candidates[i].accuracy > candidates[best].accuracy) best = i;
  selection_accuracy = candidates[best].accuracy;
  best_c = candidates[best].c;
  best_gamma = candidates[best].gamma;
  svms_ = std::move(candidates[best].svms);
  signs_ = std::move(candidates[best].signs);
}

cv::Mat SvmClassifier::decision_of(const std::vector<cv::Ptr<cv::ml::SVM>>& svms, const std::vector<float>& signs,
                                   const cv::Mat& xs) {
  cv::Mat out(xs.rows, static_cast<int>(svms.size()), CV_32F);
  for (size_t k = 0; k < svms.size(); ++k) {
    if (!svms[k]) {
      out.col(static_cast<int>(k)).setTo(kAbsentClassScore);
      continue;
    }
    cv::Mat raw;
    svms[k]->predict(xs, raw, cv::ml::StatModel::RAW_OUTPUT);
    out.col(static_cast<int>(k)) = raw * signs[k];
  }
  return out;
}

cv::Mat SvmClassifier::decision(const cv::Mat& x) const { return decision_of(svms_, signs_, scaled(x)); }

// The per-class machines sit beside STEM.yml as svm_K.yml (the names runs have always used).
static std::string machine_path(const std::string& stem, size_t k) {
  return (std::filesystem::path(stem).parent_path() / ("svm_" + std::to_string(k) + ".yml")).string();
}

void SvmClassifier::save(const std::string& stem) const {
  cv::FileStorage fs(stem + ".yml", cv::FileStorage::WRITE);
  std::vector<int> absent;
  for (size_t k = 0; k < svms_.size(); ++k)
    if (!svms_[k]) absent.push_back(static_cast<int>(k));
  fs << "mean" << mean_ << "std" << std_ << "signs" << signs_ << "C" << best_c << "gamma" << best_gamma
     << "classes" << static_cast<int>(svms_.size()) << "absent" << absent;
  fs.release();
  for (size_t k = 0; k < svms_.size(); ++k)
    if (svms_[k]) svms_[k]->save(machine_path(stem, k));
}

void SvmClassifier::load(const std::string& stem) {
  cv::FileStorage fs(stem + ".yml", cv::FileStorage::READ);
  if (!fs.isOpened()) throw InputError(stem + ".yml: cannot open the SVM model");
  int classes = 0;
  fs["mean"] >> mean_;
  fs["std"] >> std_;
  fs["signs"] >> signs_;
  fs["C"] >> best_c;
  fs["gamma"] >> best_gamma;
  fs["classes"] >> classes;
  std::vector<int> absent;  // classes without a machine (none in files of earlier versions)
  if (!fs["absent"].empty()) fs["absent"] >> absent;
  svms_.clear();
  for (int k = 0; k < classes; ++k) {
    if (std::find(absent.begin(), absent.end(), k) != absent.end()) {
      svms_.push_back(nullptr);
      continue;
    }
    const std::string path = machine_path(stem, static_cast<size_t>(k));
    auto svm = cv::Algorithm::load<cv::ml::SVM>(path);
    if (svm.empty()) throw InputError(path + ": cannot load the SVM");
    svms_.push_back(svm);
  }
}

}  // namespace alloyml::classical
