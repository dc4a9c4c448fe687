#include "alloyml/eval/metrics.h"

#include <cmath>

#include "alloyml/core/error.h"

namespace alloyml::eval {

namespace {
// Per-class figures and their macro averages from m.confusion, m.n and m.class_names.
void fill_per_class(ClassificationMetrics& m);
}  // namespace

ClassificationMetrics classification_metrics(const std::vector<int64_t>& truth, const std::vector<int64_t>& predicted,
                                             const std::vector<std::string>& class_names) {
  if (truth.size() != predicted.size()) throw Error("classification_metrics: size mismatch");
  const size_t k = class_names.size();
  ClassificationMetrics m;
  m.class_names = class_names;
  m.n = static_cast<int64_t>(truth.size());
  m.confusion.assign(k, std::vector<int64_t>(k, 0));
  int64_t correct = 0;
  for (size_t i = 0; i < truth.size(); ++i) {
    if (truth[i] < 0 || static_cast<size_t>(truth[i]) >= k || predicted[i] < 0 || static_cast<size_t>(predicted[i]) >= k)
      throw Error("classification_metrics: label out of range");
    ++m.confusion[static_cast<size_t>(truth[i])][static_cast<size_t>(predicted[i])];
    correct += truth[i] == predicted[i] ? 1 : 0;
  }
  m.accuracy = m.n > 0 ? static_cast<double>(correct) / m.n : 0.0;
  fill_per_class(m);
  return m;
}

ClassificationMetrics metrics_from_confusion(const std::vector<std::vector<int64_t>>& confusion,
                                             const std::vector<std::string>& class_names) {
  const size_t k = class_names.size();
  if (confusion.size() != k) throw Error("metrics_from_confusion: the confusion is not " + std::to_string(k) + " x " + std::to_string(k));
  ClassificationMetrics m;
  m.class_names = class_names;
  m.confusion = confusion;
  int64_t correct = 0;
  for (size_t c = 0; c < k; ++c) {
    if (confusion[c].size() != k) throw Error("metrics_from_confusion: a row is not " + std::to_string(k) + " long");
    for (auto v : confusion[c]) m.n += v;
    correct += confusion[c][c];
  }
  m.accuracy = m.n > 0 ? static_cast<double>(correct) / m.n : 0.0;
  fill_per_class(m);
  return m;
}

namespace {

void fill_per_class(ClassificationMetrics& m) {
  const size_t k = m.class_names.size();
  m.per_class.resize(k);
  for (size_t c = 0; c < k; ++c) {
    int64_t tp = m.confusion[c][c], col = 0, row = 0;
    for (size_t o = 0; o < k; ++o) {
      col += m.confusion[o][c];
      row += m.confusion[c][o];
    }
    auto& pc = m.per_class[c];
    pc.support = row;
    pc.precision = col > 0 ? static_cast<double>(tp) / col : 0.0;
    pc.recall = row > 0 ? static_cast<double>(tp) / row : 0.0;
    pc.f1 = pc.precision + pc.recall > 0 ? 2 * pc.precision * pc.recall / (pc.precision + pc.recall) : 0.0;
    const int64_t negatives = m.n - row, false_positives = col - tp;
    pc.specificity = negatives > 0 ? static_cast<double>(negatives - false_positives) / negatives : 0.0;
    pc.gmean = std::sqrt(pc.recall * pc.specificity);
    m.macro_precision += pc.precision / static_cast<double>(k);
    m.macro_recall += pc.recall / static_cast<double>(k);
    m.macro_f1 += pc.f1 / static_cast<double>(k);
    m.macro_gmean += pc.gmean / static_cast<double>(k);
  }
}

}  // namespace

RegressionMetrics regression_metrics(const std::vector<double>& truth, const std::vector<double>& predicted) {
  if (truth.size() != predicted.size()) throw Error("regression_metrics: size mismatch");
  RegressionMetrics m;
  m.n = static_cast<int64_t>(truth.size());
  if (truth.empty()) return m;
  const double n = static_cast<double>(truth.size());
  double mt = 0, mp = 0;
  for (size_t i = 0; i < truth.size(); ++i) {
    mt += truth[i] / n;
    mp += predicted[i] / n;
  }
  double se = 0, ae = 0, st = 0, sp = 0, cov = 0;
  for (size_t i = 0; i < truth.size(); ++i) {
    const double e = predicted[i] - truth[i];
    se += e * e;
    ae += std::abs(e);
    st += (truth[i] - mt) * (truth[i] - mt);
    sp += (predicted[i] - mp) * (predicted[i] - mp);
    cov += (truth[i] - mt) * (predicted[i] - mp);
  }
  m.rmse = std::sqrt(se / n);
  m.mae = ae / n;
  m.r2 = st > 0 ? 1 - se / st : 0.0;
  m.r = st > 0 && sp > 0 ? cov / std::sqrt(st * sp) : 0.0;
  return m;
}

MeanSd mean_sd(const std::vector<double>& values) {
  MeanSd out;
  if (values.empty()) return out;
  for (double v : values) out.mean += v;
  out.mean /= static_cast<double>(values.size());
  double ss = 0;
  for (double v : values) ss += (v - out.mean) * (v - out.mean);
  out.sd = values.size() > 1 ? std::sqrt(ss / static_cast<double>(values.size() - 1)) : 0.0;
  return out;
}

}  // namespace alloyml::eval
