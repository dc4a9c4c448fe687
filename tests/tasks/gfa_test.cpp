// Glass-forming ability, torch-free parts: label-distribution smoothing, target-stratified folds,
// composition tables, ternary grids and the synthetic generator.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <numeric>
#include <set>

#include <gtest/gtest.h>

#include "alloyml/core/error.h"
#include "alloyml/core/fs.h"
#include "alloyml/data/gfa_synthetic.h"
#include "alloyml/tasks/gfa.h"
#include "alloyml/train/regression.h"
#include "test_util.h"

using namespace alloyml;

TEST(Lds, WeightsOnAToyHistogram) {
  // 8 targets in the first bin, 2 in the last (4 bins over [0, 4]).
  std::vector<double> y{0, 0, 0, 0, 0, 0, 0, 0, 4, 4};
  train::LdsOptions o;
  o.enabled = true;
  o.bins = 4;
  o.kernel_size = 1;  // no smoothing: the plain histogram
  o.reweight = "inverse";
  auto w = train::lds_weights(y, o);
  EXPECT_NEAR(w[9] / w[0], 4.0, 1e-12);
  EXPECT_NEAR(std::accumulate(w.begin(), w.end(), 0.0) / 10, 1.0, 1e-12);
  o.reweight = "sqrt_inverse";
  w = train::lds_weights(y, o);
  EXPECT_NEAR(w[9] / w[0], 2.0, 1e-12);
  // Kernel 3, sigma 1: window (e^-0.5, 1, e^-0.5); the empty bins between borrow density.
  o.kernel_size = 3;
  o.sigma = 1.0;
  const double k = std::exp(-0.5);
  const auto d = train::lds_density(y, o);
  ASSERT_EQ(d.size(), 4u);
  EXPECT_NEAR(d[0], 8.0, 1e-12);
  EXPECT_NEAR(d[1], 8 * k, 1e-12);
  EXPECT_NEAR(d[2], 2 * k, 1e-12);
  EXPECT_NEAR(d[3], 2.0, 1e-12);
  o.reweight = "inverse";
  w = train::lds_weights(y, o);
  EXPECT_NEAR(w[9] / w[0], 4.0, 1e-12);
  // Off: all ones.
  o.enabled = false;
  for (double v : train::lds_weights(y, o)) EXPECT_EQ(v, 1.0);
  o.enabled = true;
  o.kernel_size = 4;
  EXPECT_THROW(train::lds_weights(y, o), InputError);
}

TEST(Folds, DisjointCoveringBalancedAndStratified) {
  std::vector<double> y;
  for (int i = 0; i < 103; ++i) y.push_back(i < 40 ? 0.0 : std::pow(1.05, i));
  const auto folds = train::regression_folds(y, 10, 7);
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
  EXPECT_EQ(train::regression_folds(y, 10, 7), folds);
  EXPECT_NE(train::regression_folds(y, 10, 8), folds);
  EXPECT_THROW(train::regression_folds(y, 1, 0), InputError);
  EXPECT_THROW(train::regression_folds({1.0, 2.0}, 3, 0), InputError);
}

TEST(Targets, Log1pRoundTrip) {
  for (double v : {0.0, 0.1, 2.0, 35.0}) EXPECT_NEAR(train::invert_target(train::transform_target(v, "log1p"), "log1p"), v, 1e-12);
  EXPECT_EQ(train::transform_target(3.0, "none"), 3.0);
  EXPECT_THROW(train::transform_target(1.0, "log"), InputError);
}

TEST(GfaTable, ReadsSkipsAndNamesRows) {
  alloyml::testing::TempDir dir;
  const std::string path = dir / "alloys.csv";
  std::ofstream(path) << "bmg_alloy,paper,actual_d_max\r\nZr50Cu50,x,2\r\nCu4Q,x,1\r\n(Fe50Ni50)83B17,x,0.5\r\n";
  const auto t = tasks::read_gfa_table(path, "auto", "auto");
  EXPECT_EQ(t.formula_column, "bmg_alloy");
  EXPECT_EQ(t.target_column, "actual_d_max");
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[1].row, 3u);
  EXPECT_DOUBLE_EQ(t.rows[1].target, 0.5);
  ASSERT_EQ(t.skipped.size(), 1u);
  EXPECT_NE(t.skipped[0].find("alloys.csv: row 2 (line 3): formula 'Cu4Q'"), std::string::npos) << t.skipped[0];
  // A bad or negative target names file, row and column.
  std::ofstream(path) << "formula,dmax\nZr50Cu50,2\nCuZr,-1\n";
  try {
    tasks::read_gfa_table(path, "auto", "auto");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("row 2 (line 3), column 'dmax': a negative value"), std::string::npos) << e.what();
  }
  std::ofstream(path) << "formula,dmax\nZr50Cu50,big\n";
  EXPECT_THROW(tasks::read_gfa_table(path, "auto", "auto"), InputError);
  EXPECT_THROW(tasks::read_gfa_table(path, "alloy", "auto"), InputError);  // no such column
  std::ofstream(path) << "name,value\nZr50Cu50,1\n";
  EXPECT_THROW(tasks::read_gfa_table(path, "auto", "auto"), InputError);  // no formula column to find
}

TEST(Ternary, GridCountsAndErrors) {
  const auto g = tasks::ternary_grid("La-Co-Al", 10);
  EXPECT_EQ(g.size(), 66u);  // (n + 1)(n + 2) / 2 with n = 10
  for (const auto& p : g) EXPECT_NEAR(p.fractions[0] + p.fractions[1] + p.fractions[2], 1.0, 1e-12);
  EXPECT_EQ(g.front().formula, "La100");
  EXPECT_EQ(g[1].formula, "La90Co10");
  EXPECT_EQ(g.back().formula, "Al100");
  EXPECT_EQ(tasks::ternary_grid("Zr-Cu-Al", 2.5).size(), 861u);
  EXPECT_THROW(tasks::ternary_grid("La-Co", 1), InputError);
  EXPECT_THROW(tasks::ternary_grid("La-Co-Xx", 1), InputError);
  EXPECT_THROW(tasks::ternary_grid("La-La-Al", 1), InputError);
  EXPECT_THROW(tasks::ternary_grid("La-Co-Al", 3), InputError);
}

TEST(GfaSynthetic, DeterministicLongTailedAndParsable) {
  const auto a = data::synthetic_alloys(300, 1);
  EXPECT_EQ(a.size(), 300u);
  int zeros = 0;
  double mx = 0;
  for (const auto& x : a) {
    const auto c = data::parse_formula(x.formula);
    EXPECT_GE(c.fractions.size(), 2u);
    EXPECT_NEAR(data::synthetic_dmax(c.fractions), x.dmax_mm, 0.11) << x.formula;
    zeros += x.dmax_mm == 0;
    mx = std::max(mx, x.dmax_mm);
  }
  EXPECT_GT(zeros, 60);  // many poor glass formers
  EXPECT_GT(mx, 15);     // and a long tail
  EXPECT_EQ(data::synthetic_alloys(300, 1)[17].formula, a[17].formula);
  EXPECT_NE(data::synthetic_alloys(300, 2)[17].formula, a[17].formula);
}

TEST(GfaSynthetic, ShippedFileIsTheGeneratorsOutput) {
  // data/gfa/synthetic.csv is `alloyml-augment gfa -n 400 --seed 0` (data/gfa/README.md says so).
  alloyml::testing::TempDir dir;
  data::write_synthetic_alloys(dir / "s.csv", 400, 0);
  EXPECT_EQ(read_text_file(dir / "s.csv"), read_text_file(alloyml::testing::source_dir() + "/data/gfa/synthetic.csv"));
}
