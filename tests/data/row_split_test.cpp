// Splits of table rows: seeded random splits and target-stratified folds.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>

#include <gtest/gtest.h>

#include "alloyml/core/error.h"
#include "alloyml/data/row_split.h"

using namespace alloyml;

TEST(Folds, DisjointCoveringBalancedAndStratified) {
  std::vector<double> y;
  for (int i = 0; i < 103; ++i) y.push_back(i < 40 ? 0.0 : std::pow(1.05, i));
  const auto folds = data::regression_folds(y, 10, 7);
  ASSERT_EQ(folds.size(), y.size());
  std::vector<int> size(10, 0);
  for (int f : folds) {
    ASSERT_GE(f, 0);
    ASSERT_LT(f, 10);
    ++size[static_cast<size_t>(f)];
  }
  EXPECT_LE(*std::max_element(size.begin(), size.end()) - *std::min_element(size.begin(), size.end()), 1);
  // Each run of ten consecutive targets (in sorted order) is dealt to ten different folds, so
  // the tail reaches every fold; the zeros spread evenly.
  for (size_t start : {80, 90}) {
    std::set<int> run;
    for (size_t i = start; i < start + 10; ++i) run.insert(folds[i]);
    EXPECT_EQ(run.size(), 10u) << start;
  }
  std::vector<int> zeros(10, 0);
  for (size_t i = 0; i < 40; ++i) ++zeros[static_cast<size_t>(folds[i])];
  for (int z : zeros) EXPECT_EQ(z, 4);
  EXPECT_EQ(data::regression_folds(y, 10, 7), folds);
  EXPECT_NE(data::regression_folds(y, 10, 8), folds);
  EXPECT_THROW(data::regression_folds(y, 1, 0), InputError);
  EXPECT_THROW(data::regression_folds({1.0, 2.0}, 3, 0), InputError);
}

TEST(RowSplit, SharesAreFractionsOrCountsAndLeaveTraining) {
  std::vector<size_t> all(100);
  std::iota(all.begin(), all.end(), size_t{0});
  const auto s = data::random_row_split(all, 0.15, 20, 3, "t.csv");
  EXPECT_EQ(s.val.size(), 15u);
  EXPECT_EQ(s.test.size(), 20u);
  EXPECT_EQ(s.train.size(), 65u);
  std::set<size_t> seen(s.train.begin(), s.train.end());
  seen.insert(s.val.begin(), s.val.end());
  seen.insert(s.test.begin(), s.test.end());
  EXPECT_EQ(seen.size(), 100u);
  EXPECT_EQ(data::random_row_split(all, 0.15, 20, 3, "t.csv").val, s.val);  // seeded
  try {
    data::random_row_split(all, 60, 40, 0, "t.csv");
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("t.csv: data.split leaves no training rows"), std::string::npos) << e.what();
  }
}
