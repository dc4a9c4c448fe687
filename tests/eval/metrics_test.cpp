#include <gtest/gtest.h>

#include <cmath>

#include "alloyml/eval/metrics.h"
#include "alloyml/eval/metrics_io.h"

using namespace alloyml::eval;

TEST(Metrics, HandComputedClassification) {
  // truth: a a a b b c ; predicted: a a b b c c
  const auto m = classification_metrics({0, 0, 0, 1, 1, 2}, {0, 0, 1, 1, 2, 2}, {"a", "b", "c"});
  EXPECT_DOUBLE_EQ(m.accuracy, 4.0 / 6);
  EXPECT_DOUBLE_EQ(m.per_class[0].precision, 1.0);
  EXPECT_DOUBLE_EQ(m.per_class[0].recall, 2.0 / 3);
  EXPECT_DOUBLE_EQ(m.per_class[1].precision, 0.5);
  EXPECT_DOUBLE_EQ(m.per_class[2].precision, 0.5);
  EXPECT_DOUBLE_EQ(m.per_class[2].recall, 1.0);
  EXPECT_NEAR(m.macro_f1, (0.8 + 0.5 + 2.0 / 3) / 3, 1e-12);
  EXPECT_EQ(m.confusion[0][1], 1);
  EXPECT_EQ(m.per_class[0].support, 3);
}

TEST(Metrics, HandComputedGMean) {
  // truth: a a a b b c ; predicted: a a b b c c
  const auto m = classification_metrics({0, 0, 0, 1, 1, 2}, {0, 0, 1, 1, 2, 2}, {"a", "b", "c"});
  EXPECT_DOUBLE_EQ(m.per_class[0].specificity, 1.0);       // no b or c taken for a
  EXPECT_DOUBLE_EQ(m.per_class[1].specificity, 3.0 / 4);   // one of the four non-b taken for b
  EXPECT_DOUBLE_EQ(m.per_class[2].specificity, 4.0 / 5);
  EXPECT_DOUBLE_EQ(m.per_class[0].gmean, std::sqrt(2.0 / 3));
  EXPECT_DOUBLE_EQ(m.per_class[1].gmean, std::sqrt(0.5 * 0.75));
  EXPECT_NEAR(m.macro_gmean, (std::sqrt(2.0 / 3) + std::sqrt(0.375) + std::sqrt(0.8)) / 3, 1e-12);
  // A class never recalled has G-mean 0 however specific it is.
  EXPECT_EQ(classification_metrics({0, 1}, {0, 0}, {"a", "b"}).per_class[1].gmean, 0.0);
}

TEST(Metrics, ClassNeverPredictedHasZeroPrecisionNotNaN) {
  const auto m = classification_metrics({0, 1}, {0, 0}, {"a", "b"});
  EXPECT_EQ(m.per_class[1].precision, 0.0);
  EXPECT_EQ(m.per_class[1].f1, 0.0);
}

TEST(Metrics, JsonHasTheDesignFields) {
  const auto j = to_json(classification_metrics({0, 1}, {0, 1}, {"a", "b"}));
  for (const char* k : {"accuracy", "macro_precision", "macro_recall", "macro_f1", "macro_gmean", "per_class",
                        "confusion_matrix", "class_names"})
    EXPECT_TRUE(j.contains(k)) << k;
  EXPECT_EQ(j["per_class"]["b"]["support"], 1);
}

TEST(Metrics, Regression) {
  const auto m = regression_metrics({1, 2, 3, 4}, {1, 2, 3, 5});
  EXPECT_DOUBLE_EQ(m.rmse, 0.5);
  EXPECT_DOUBLE_EQ(m.mae, 0.25);
  EXPECT_DOUBLE_EQ(m.r2, 1 - 1.0 / 5);
  EXPECT_NEAR(m.r, 0.9827076298239908, 1e-12);
  EXPECT_EQ(m.n, 4);
}
